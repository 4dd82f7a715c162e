import { describe, expect, it } from 'vitest';
import { tediousLogin7 } from '../testing/tedious-payloads.js';
import { decodeLogin7, deobfuscatePassword, FeatureId, obfuscatePassword } from './login7.js';
import { ProtocolError } from './protocol-error.js';

describe('LOGIN7', () => {
  it('decodes every field tedious sends, de-obfuscating the password', () => {
    const login = decodeLogin7(
      tediousLogin7(
        {
          userName: 'sa',
          password: 'pä$$wörd ☃',
          hostname: 'workstation',
          appName: 'my app',
          serverName: 'db.example',
          libraryName: 'Tedious',
          language: 'us_english',
          database: 'inventory',
          clientId: Buffer.from([1, 2, 3, 4, 5, 6]),
        },
        8192,
      ),
    );
    expect(login).toMatchObject({
      tdsVersion: 0x74000004,
      packetSize: 8192,
      clientPid: 4321,
      clientTimeZone: -60,
      clientLcid: 0x409,
      userName: 'sa',
      password: 'pä$$wörd ☃',
      hostName: 'workstation',
      appName: 'my app',
      serverName: 'db.example',
      libraryName: 'Tedious',
      language: 'us_english',
      database: 'inventory',
      integratedSecurity: false,
    });
    expect(login.features.get(FeatureId.Utf8Support)).toEqual(Buffer.from([1]));
  });

  it('reads empty fields as empty strings and flags integrated security', () => {
    const login = decodeLogin7(tediousLogin7({ hostname: 'h', sspi: Buffer.from('NTLMSSP\0') }));
    expect(login).toMatchObject({ userName: '', password: '', database: '', integratedSecurity: true });
  });

  it('inverts the client obfuscation for every byte value', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(deobfuscatePassword(obfuscatePassword(all))).toEqual(all);
    // 'a' (0x61) → nibbles swapped 0x16 → XOR 0xA5 = 0xB3, as MS-TDS 2.2.6.4 describes.
    expect(obfuscatePassword(Buffer.from([0x61]))).toEqual(Buffer.from([0xb3]));
  });

  it('rejects a truncated message and strings pointing outside it', () => {
    const good = tediousLogin7({ userName: 'u', password: 'p', hostname: 'h' });
    expect(() => decodeLogin7(good.subarray(0, 50))).toThrow(ProtocolError);
    const lying = Buffer.from(good);
    lying.writeUInt16LE(0x7fff, 40); // ibUserName
    expect(() => decodeLogin7(lying)).toThrow(/UserName/);
  });
});
