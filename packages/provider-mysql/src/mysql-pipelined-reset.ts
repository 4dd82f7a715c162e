import { isIdleUncompressed } from './mysql-command-pipeline.js';
import type { MysqlDriverConnection, MysqlPacket } from './mysql-driver.js';

/** COM_QUERY. */
const COM_QUERY = 0x03;
/** Capability flag: COM_QUERY carries query attributes (a parameter count and a parameter-set count first). */
const CLIENT_QUERY_ATTRIBUTES = 0x08000000;

/** The parts of a mysql2 connection the pipelined reset drives (not in mysql2's typings; checked before use). */
interface Mysql2Internals {
  /** The running command, if any. */
  readonly _command?: unknown;
  /** The sequence id the next received packet must carry. */
  sequenceId: number;
  readonly serverCapabilityFlags?: number;
  readonly config?: { readonly clientFlags?: number; readonly compress?: boolean; readonly debug?: boolean };
  readonly clientEncoding?: string;
  readonly stream: { cork(): void; uncork(): void };
  /** Queues a command; mysql2 calls its `execute(packet, connection)` with each reply packet. */
  addCommand(command: PipelinedReply): unknown;
  /** Writes raw bytes to the socket, reporting a failure as a connection error. */
  write(buffer: Buffer): unknown;
}

/** A reply packet as mysql2 hands it to a command. */
interface ReplyPacket extends MysqlPacket {
  isError(): boolean;
  asError(encoding?: string): Error;
}

/** The command that takes the reply of a statement whose packet was already written (mysql2 writes nothing for it). */
interface PipelinedReply {
  onResult(error: Error | null): void;
  execute(packet: ReplyPacket | undefined, connection: Mysql2Internals): boolean;
}

/**
 * COM_RESET_CONNECTION and a settings statement (`SET time_zone = '+00:00'`) in **one** socket write, with their two
 * replies read together: one round trip instead of two. The reset restores the server's session defaults, so the
 * settings must follow it, and mysql2 starts a command only once the previous one is answered: the reset goes through
 * mysql2's own `reset()` (which also forgets the connection's cached prepared statements), the statement's COM_QUERY
 * packet is written right behind it while the socket is corked, and a small command queued after the reset takes the
 * statement's reply. Returns false — and does nothing — when the connection is not idle or mysql2 does not look as
 * expected (compression, debug mode, another shape): the caller then runs the two one after the other.
 *
 * `sql` must be ASCII (it is written as is, whatever the connection's character set).
 */
export function pipelineResetAndSettings(
  driver: MysqlDriverConnection,
  sql: string,
  callback: (error: Error | null) => void,
): boolean {
  const connection = driver as unknown as Mysql2Internals;
  // The preconditions of every pipeline (idle, no compression or debug), and the raw write this one uses.
  if (!isIdleUncompressed(driver) || typeof connection.write !== 'function') return false;
  let pending = 2;
  let failure: Error | null = null;
  const settle = (error: Error | null): void => {
    failure ??= error;
    if (--pending === 0) callback(failure);
  };
  let started = false;
  let answered = false;
  const answer = (error: Error | null): void => {
    if (answered) return;
    answered = true;
    settle(error);
  };
  const reply: PipelinedReply = {
    // mysql2 calls this when the connection fails while the command is queued or running.
    onResult: (error) => answer(error ?? new Error('The connection failed during the session reset.')),
    execute(packet, target) {
      if (!started) {
        // Its packet is already on the wire (sequence id 0): the reply comes with sequence id 1.
        started = true;
        target.sequenceId = 1;
        return false;
      }
      if (packet === undefined) return false;
      answer(packet.isError() ? packet.asError(target.clientEncoding) : null);
      return true;
    },
  };
  connection.stream.cork();
  try {
    driver.reset((error) => settle(error));
    connection.write(cachedQueryPacket(sql, queryAttributes(connection)));
    connection.addCommand(reply);
  } finally {
    connection.stream.uncork();
  }
  return true;
}

function queryAttributes(connection: Mysql2Internals): boolean {
  return (
    ((connection.config?.clientFlags ?? 0) & (connection.serverCapabilityFlags ?? 0) & CLIENT_QUERY_ATTRIBUTES) !== 0
  );
}

/** The packets of the few settings statements, built once: a written buffer is only read, so it can be reused. */
const PACKETS = new Map<string, Buffer>();

function cachedQueryPacket(sql: string, withQueryAttributes: boolean): Buffer {
  const key = `${withQueryAttributes ? 'a' : '-'}${sql}`;
  let packet = PACKETS.get(key);
  if (packet === undefined) {
    packet = queryPacket(sql, withQueryAttributes);
    PACKETS.set(key, packet);
  }
  return packet;
}

/** A COM_QUERY packet with sequence id 0 (the first packet of a command). */
export function queryPacket(sql: string, withQueryAttributes: boolean): Buffer {
  const prefix = withQueryAttributes ? [COM_QUERY, 0, 1] : [COM_QUERY];
  const text = Buffer.from(sql, 'ascii');
  const payloadLength = prefix.length + text.length;
  const packet = Buffer.allocUnsafe(4 + payloadLength);
  packet.writeUIntLE(payloadLength, 0, 3);
  packet[3] = 0;
  packet.set(prefix, 4);
  text.copy(packet, 4 + prefix.length);
  return packet;
}
