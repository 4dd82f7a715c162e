import type { TdsMessage, TdsSession } from '../engine/engine-types.js';
import { SERVER_COLLATION } from '../protocol/collation.js';
import { FeatureId, type Login7Request } from '../protocol/login7.js';
import { DEFAULT_PACKET_SIZE, MAX_PACKET_SIZE, MIN_PACKET_SIZE } from '../protocol/packet.js';
import { DoneStatus, encodeDone } from '../protocol/tokens/done-token.js';
import {
  EnvChangeType,
  encodeCollationChange,
  encodeDatabaseChange,
  encodePacketSizeChange,
  encodeStringEnvChange,
} from '../protocol/tokens/env-change-token.js';
import { encodeFeatureExtAck, encodeLoginAck } from '../protocol/tokens/login-ack-token.js';
import { encodeMessage } from '../protocol/tokens/message-token.js';
import { LOGIN_FAILED_ERROR } from './engine-errors.js';

/** A server version as LOGINACK and PRELOGIN carry it. */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
}

/** Reads "major.minor.build" out of the engine's @@VERSION text; SQL Server 2022 RTM when it has none. */
export function parseServerVersion(text: string): ServerVersion {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (!match) return { major: 16, minor: 0, build: 1000 };
  return { major: Number(match[1]) & 0xff, minor: Number(match[2]) & 0xff, build: Number(match[3]) & 0xffff };
}

/** The packet size the server grants: the client's wish within SQL Server's limits, 4096 when it has none. */
export function negotiatePacketSize(requested: number): number {
  if (requested === 0) return DEFAULT_PACKET_SIZE;
  return Math.min(Math.max(requested, MIN_PACKET_SIZE), MAX_PACKET_SIZE);
}

/**
 * The tokens of a successful login, in SQL Server's order: database ENVCHANGE and its INFO, collation,
 * language and its INFO, LOGINACK, FEATUREEXTACK (UTF-8 support, when asked), packet size, DONE.
 */
export function loginSuccessTokens(
  login: Login7Request,
  session: TdsSession,
  options: { serverName: string; version: ServerVersion; packetSize: number },
): Buffer[] {
  const info = (number: number, message: string): Buffer =>
    encodeMessage({ number, state: number === 5701 ? 2 : 1, severity: 0, message }, options.serverName);
  const tokens = [
    encodeDatabaseChange(session.database, 'master'),
    info(5701, `Changed database context to '${session.database}'.`),
    encodeCollationChange(SERVER_COLLATION),
    encodeStringEnvChange(EnvChangeType.Language, 'us_english', ''),
    info(5703, 'Changed language setting to us_english.'),
    encodeLoginAck('Microsoft SQL Server', options.version),
  ];
  if (login.features.has(FeatureId.Utf8Support)) {
    tokens.push(encodeFeatureExtAck([{ id: FeatureId.Utf8Support, data: Buffer.from([0x01]) }]));
  }
  tokens.push(encodePacketSizeChange(options.packetSize, options.packetSize));
  tokens.push(encodeDone('done', DoneStatus.Final));
  return tokens;
}

/** The tokens of a failed login: the ERROR (18456 unless the engine said otherwise), then DONE with ERROR. */
export function loginFailureTokens(message: TdsMessage, serverName: string): Buffer[] {
  return [
    encodeMessage({ ...message, severity: Math.max(message.severity, 11) }, serverName),
    encodeDone('done', DoneStatus.Error),
  ];
}

/** The message for a login refused by the wire layer itself (e.g. integrated authentication). */
export function loginRefused(userName: string, reason: string): TdsMessage {
  return {
    number: LOGIN_FAILED_ERROR,
    state: 1,
    severity: 14,
    message: `Login failed for user '${userName}'. Reason: ${reason}`,
  };
}
