import type { MysqlDriverConnection } from './mysql-driver.js';

/**
 * Bytes of request packets written per socket write before the rest waits for the socket to drain: a batch of any
 * size is written as a few bounded writes (one round trip all the same: the writer never waits for a reply), not as
 * one buffer as large as the batch.
 */
export const PIPELINE_CHUNK_BYTES = 1 << 20;

/** A mysql2 command as the pipeline drives it (not in mysql2's typings; checked by {@link canPipelineOn}). */
export interface PipelinedCommand {
  /** The state mysql2 calls next; set before queueing, mysql2 then never calls `start` itself. */
  next: ((packet?: unknown, connection?: unknown) => unknown) | null;
  start(packet: unknown, connection: unknown): unknown;
  emit(event: string, ...args: unknown[]): boolean;
  listenerCount(event: string): number;
  /** A command made with a callback (`prepare(sql, callback)`) reports its error there, not as an event. */
  onResult?: ((error: Error | null, ...results: unknown[]) => void) | undefined;
}

/** The parts of a mysql2 connection the pipeline drives. */
interface Mysql2Internals {
  readonly _command?: unknown;
  sequenceId: number;
  readonly config?: { readonly compress?: boolean; readonly debug?: boolean };
  readonly stream: { cork(): void; uncork(): void; readonly writableLength?: number; destroyed?: boolean };
  addCommand(command: unknown): unknown;
  writePacket(packet: unknown): void;
}

/** One command of a pipeline: `skip` queues it without writing anything (mysql2 then ends it without a reply). */
export interface PipelineStep {
  readonly command: PipelinedCommand;
  readonly skip?: boolean;
}

/**
 * True when mysql2 looks as the pipeline expects and the connection is idle (no command running or queued):
 * otherwise the caller runs its commands one at a time.
 */
export function canPipelineOn(driver: MysqlDriverConnection): boolean {
  const connection = driver as unknown as Mysql2Internals;
  return isIdleUncompressed(driver) && typeof connection.writePacket === 'function';
}

/**
 * What every pipeline written next to mysql2 needs (a batch, the pooled reset): no command running, the internals it
 * drives where this mysql2 keeps them, and no compression or debug framing of packets.
 */
export function isIdleUncompressed(driver: MysqlDriverConnection): boolean {
  const connection = driver as unknown as Mysql2Internals;
  return (
    connection._command == null &&
    typeof connection.sequenceId === 'number' &&
    typeof connection.addCommand === 'function' &&
    typeof connection.stream?.cork === 'function' &&
    connection.config !== undefined &&
    !connection.config.compress &&
    !connection.config.debug
  );
}

/**
 * The mysql2 commands that `create` makes (through mysql2's public `query`/`execute`/`prepare`), taken instead of
 * queued: {@link pipelineCommands} queues them once their packets are written.
 */
export function collectCommands(driver: MysqlDriverConnection, create: () => void): PipelinedCommand[] {
  const connection = driver as unknown as Mysql2Internals;
  const collected: PipelinedCommand[] = [];
  const own = Object.getOwnPropertyDescriptor(connection, 'addCommand');
  Object.defineProperty(connection, 'addCommand', {
    configurable: true,
    writable: true,
    value: (command: PipelinedCommand) => {
      collected.push(command);
      return command;
    },
  });
  try {
    create();
  } finally {
    if (own) Object.defineProperty(connection, 'addCommand', own);
    else delete (connection as { addCommand?: unknown }).addCommand;
  }
  return collected;
}

/**
 * Writes the request packet of every command back to back — without waiting for any reply — and queues the commands
 * so that mysql2 reads their replies in order, each with its own command's state machine (fields, rows, OK, error).
 * mysql2 itself starts a command only once the previous one is answered; here each command's `start` (which builds and
 * writes its packet) is run ahead by the writer, and the command is queued with `next` already set to the state its
 * `start` returned, so mysql2 skips `start` and waits for the reply.
 *
 * Packets go out in writes of about {@link PIPELINE_CHUNK_BYTES}; the next write waits for the socket to drain, and a
 * command whose reply is due before its packet was written (never, in practice: its reply cannot come first) writes
 * it at once. The connection must be idle ({@link canPipelineOn}).
 */
export function pipelineCommands(driver: MysqlDriverConnection, steps: readonly PipelineStep[]): void {
  const connection = driver as unknown as Mysql2Internals;
  const states: unknown[] = new Array(steps.length);
  const replySequence: number[] = new Array(steps.length);
  let written = 0;

  const writeOne = (index: number): void => {
    const { command, skip } = steps[index]!;
    if (skip) {
      states[index] = null;
      replySequence[index] = 0;
      return;
    }
    const saved = connection.sequenceId;
    connection.sequenceId = 0;
    try {
      states[index] = command.start(undefined, connection);
    } catch (error) {
      // Nothing (or only part of a packet, which the server will reject) went out: the command ends without a reply.
      states[index] = null;
      failStarted(command, error);
    }
    // The reply's first packet follows the request's packets (more than one for a request of 16 MiB or more).
    replySequence[index] = connection.sequenceId;
    connection.sequenceId = saved;
  };

  const writeThrough = (last: number, budget: number): void => {
    connection.stream.cork();
    try {
      const before = connection.stream.writableLength ?? 0;
      do {
        writeOne(written);
        written += 1;
      } while (written <= last && (connection.stream.writableLength ?? 0) - before < budget);
    } finally {
      connection.stream.uncork();
    }
  };

  const writeMore = (): void => {
    if (written >= steps.length || connection.stream.destroyed) return;
    writeThrough(steps.length - 1, PIPELINE_CHUNK_BYTES);
    if (written >= steps.length) return;
    // Bounded memory: wait until the kernel took the last chunk before building the next one.
    const socket = connection.stream as unknown as NodeJS.WritableStream & { writableNeedDrain?: boolean };
    if (socket.writableNeedDrain) socket.once('drain', writeMore);
    else setImmediate(writeMore);
  };

  steps.forEach(({ command }, index) => {
    // mysql2 calls `next` once, without a packet, when the command's turn comes: the state `start` returned follows.
    command.next = () => {
      if (index >= written) writeThrough(index, Number.POSITIVE_INFINITY);
      connection.sequenceId = replySequence[index]!;
      return states[index];
    };
  });
  writeMore();
  for (const { command } of steps) connection.addCommand(command);
}

/**
 * A command whose `start` threw inside the writer gets its error at once — before the writer goes on, and before
 * mysql2 ends it (`end`, when its turn comes) — the way mysql2 reports a command's failure: to its callback when it was
 * made with one, else as its `error` event. A command nobody listens to keeps the error to itself rather than
 * throwing it out of the writer (an `error` event without a listener throws).
 */
function failStarted(command: PipelinedCommand, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (typeof command.onResult === 'function') command.onResult(failure);
  else if (command.listenerCount('error') > 0) command.emit('error', failure);
}
