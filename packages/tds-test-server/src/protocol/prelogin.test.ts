import { describe, expect, it } from 'vitest';
import { parsePreloginResponse, tediousPrelogin } from '../testing/tedious-payloads.js';
import { decodePrelogin, Encryption, encodePreloginResponse } from './prelogin.js';
import { ProtocolError } from './protocol-error.js';

describe('PRELOGIN', () => {
  it("decodes tedious' PRELOGIN (encrypt false → ENCRYPT_NOT_SUP, encrypt true → ENCRYPT_ON)", () => {
    expect(decodePrelogin(tediousPrelogin(false))).toMatchObject({
      version: { major: 19, minor: 2, build: 2, subBuild: 0 },
      encryption: Encryption.NotSupported,
      mars: false,
    });
    expect(decodePrelogin(tediousPrelogin(true)).encryption).toBe(Encryption.On);
  });

  it('answers in a form tedious parses: version and ENCRYPT_NOT_SUP', () => {
    const parsed = parsePreloginResponse(
      encodePreloginResponse({ version: { major: 16, minor: 0, build: 1000 }, encryption: Encryption.NotSupported }),
    );
    expect(parsed.encryptionString).toBe('NOT_SUP');
    expect(parsed.version).toEqual({ major: 16, minor: 0, build: 1000, subbuild: 0 });
    expect(parsed.mars).toBe(0);
    expect(parsed.instance).toBe(0);
  });

  it('rejects an option that points outside the payload', () => {
    expect(() => decodePrelogin(Buffer.from([0x00, 0x00, 0x50, 0x00, 0x06, 0xff]))).toThrow(ProtocolError);
    expect(() => decodePrelogin(Buffer.from([0x00, 0x00]))).toThrow(ProtocolError);
  });
});
