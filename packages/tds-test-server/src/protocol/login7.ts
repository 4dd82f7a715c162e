import { BufferReader } from './buffer-reader.js';
import { ProtocolError } from './protocol-error.js';

/**
 * LOGIN7 (MS-TDS 2.2.6.4): a 94-byte fixed part (lengths, flags and offset/length pairs) followed by
 * UCS-2 strings the pairs point at. Offsets are relative to the start of the LOGIN7 payload.
 */

/** FeatureExt ids a client may request (MS-TDS 2.2.6.4, FeatureId). */
export const FeatureId = {
  SessionRecovery: 0x01,
  FedAuth: 0x02,
  ColumnEncryption: 0x04,
  GlobalTransactions: 0x05,
  AzureSqlSupport: 0x08,
  DataClassification: 0x09,
  Utf8Support: 0x0a,
  AzureSqlDnsCaching: 0x0b,
  Terminator: 0xff,
} as const;

/** OptionFlags3.fExtension: the ibExtension field points at the FeatureExt block. */
const OPTION_FLAGS3_EXTENSION = 0x10;
/** OptionFlags2.fIntSecurity: integrated (SSPI) authentication. */
const OPTION_FLAGS2_INTEGRATED_SECURITY = 0x80;
const FIXED_LENGTH = 94;

/** A decoded LOGIN7 request. */
export interface Login7Request {
  readonly tdsVersion: number;
  /** The packet size the client asks for (0 = the server's default). */
  readonly packetSize: number;
  readonly clientProgVersion: number;
  readonly clientPid: number;
  readonly connectionId: number;
  readonly optionFlags1: number;
  readonly optionFlags2: number;
  readonly typeFlags: number;
  readonly optionFlags3: number;
  readonly clientTimeZone: number;
  readonly clientLcid: number;
  readonly hostName: string;
  readonly userName: string;
  /** The password, de-obfuscated. */
  readonly password: string;
  readonly appName: string;
  readonly serverName: string;
  readonly libraryName: string;
  readonly language: string;
  readonly database: string;
  readonly attachDbFile: string;
  /** True when the client asked for integrated (SSPI/NTLM) authentication, which this server does not do. */
  readonly integratedSecurity: boolean;
  /** FeatureExt entries by id. */
  readonly features: ReadonlyMap<number, Buffer>;
}

/**
 * Reverses the LOGIN7 password obfuscation: the client swapped each byte's nibbles and XORed it with
 * 0xA5, so the server XORs first and swaps back.
 */
export function deobfuscatePassword(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i]! ^ 0xa5;
    out[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return out;
}

/** Obfuscates a password the way a client does (used by tests that build LOGIN7 by hand). */
export function obfuscatePassword(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out[i] = (((b & 0x0f) << 4) | (b >> 4)) ^ 0xa5;
  }
  return out;
}

/** Decodes a LOGIN7 payload. Throws {@link ProtocolError} when an offset or length points outside it. */
export function decodeLogin7(payload: Buffer): Login7Request {
  const reader = new BufferReader(payload);
  reader.need(FIXED_LENGTH, 'LOGIN7 fixed part');
  const length = reader.u32();
  if (length > payload.length || length < FIXED_LENGTH) {
    throw new ProtocolError(`LOGIN7 length ${length} does not match the ${payload.length}-byte payload`);
  }
  const tdsVersion = reader.u32();
  const packetSize = reader.u32();
  const clientProgVersion = reader.u32();
  const clientPid = reader.u32();
  const connectionId = reader.u32();
  const optionFlags1 = reader.u8();
  const optionFlags2 = reader.u8();
  const typeFlags = reader.u8();
  const optionFlags3 = reader.u8();
  const clientTimeZone = reader.i32();
  const clientLcid = reader.u32();

  const text = (name: string): string => {
    const offset = reader.u16();
    const chars = reader.u16();
    if (chars === 0) return '';
    if (offset + chars * 2 > length) {
      throw new ProtocolError(`LOGIN7 ${name} (offset ${offset}, ${chars} chars) lies outside the message`);
    }
    return payload.toString('ucs2', offset, offset + chars * 2);
  };

  const hostName = text('HostName');
  const userName = text('UserName');
  const passwordOffset = reader.u16();
  const passwordChars = reader.u16();
  if (passwordChars > 0 && passwordOffset + passwordChars * 2 > length) {
    throw new ProtocolError('LOGIN7 Password lies outside the message');
  }
  const password = deobfuscatePassword(payload.subarray(passwordOffset, passwordOffset + passwordChars * 2)).toString(
    'ucs2',
  );
  const appName = text('AppName');
  const serverName = text('ServerName');
  const extensionOffset = reader.u16();
  const extensionLength = reader.u16();
  const libraryName = text('CltIntName');
  const language = text('Language');
  const database = text('Database');
  reader.bytes(6); // ClientID (a MAC address); not needed.
  reader.u16(); // ibSSPI
  const sspiLength = reader.u16();
  const attachDbFile = text('AtchDBFile');
  text('ChangePassword');
  const sspiLongLength = reader.u32();

  const features = new Map<number, Buffer>();
  if ((optionFlags3 & OPTION_FLAGS3_EXTENSION) !== 0 && extensionLength >= 4) {
    if (extensionOffset + 4 > length) throw new ProtocolError('LOGIN7 extension offset lies outside the message');
    const featureOffset = payload.readUInt32LE(extensionOffset);
    readFeatureExt(payload.subarray(0, length), featureOffset, features);
  }

  return {
    tdsVersion,
    packetSize,
    clientProgVersion,
    clientPid,
    connectionId,
    optionFlags1,
    optionFlags2,
    typeFlags,
    optionFlags3,
    clientTimeZone,
    clientLcid,
    hostName,
    userName,
    password,
    appName,
    serverName,
    libraryName,
    language,
    database,
    attachDbFile,
    integratedSecurity:
      (optionFlags2 & OPTION_FLAGS2_INTEGRATED_SECURITY) !== 0 || sspiLength > 0 || sspiLongLength > 0,
    features,
  };
}

function readFeatureExt(payload: Buffer, offset: number, into: Map<number, Buffer>): void {
  if (offset >= payload.length) throw new ProtocolError('LOGIN7 FeatureExt lies outside the message');
  const reader = new BufferReader(payload, offset);
  for (;;) {
    const id = reader.u8();
    if (id === FeatureId.Terminator) return;
    const dataLength = reader.u32();
    into.set(id, Buffer.from(reader.bytes(dataLength, `FeatureExt 0x${id.toString(16)}`)));
  }
}
