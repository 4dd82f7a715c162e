import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MysqlDriverConnection } from './mysql-driver.js';
import {
  PIPELINE_CHUNK_BYTES,
  canPipelineOn,
  collectCommands,
  pipelineCommands,
  type PipelinedCommand,
} from './mysql-command-pipeline.js';

/** A socket that counts what is written and whether a write happened corked. */
class FakeSocket extends EventEmitter {
  writableLength = 0;
  writableNeedDrain = false;
  corked = 0;
  destroyed = false;
  cork(): void {
    this.corked += 1;
  }
  uncork(): void {
    this.corked -= 1;
  }
}

/** The slice of a mysql2 connection the pipeline drives: writePacket numbers packets as mysql2 does. */
class FakeConnection {
  _command: unknown = null;
  sequenceId = 0;
  readonly config = { compress: false, debug: false };
  readonly stream = new FakeSocket();
  readonly queued: unknown[] = [];
  /** [command name, sequence id] of every packet written. */
  readonly written: Array<[string, number]> = [];
  addCommand(command: unknown): unknown {
    this.queued.push(command);
    return command;
  }
  writePacket(packet: { name: string; bytes: number; packets: number }): void {
    for (let part = 0; part < packet.packets; part += 1) {
      this.written.push([packet.name, this.sequenceId]);
      this.sequenceId = (this.sequenceId + 1) % 256;
    }
    this.stream.writableLength += packet.bytes;
  }
}

/** A command whose `start` writes one request of `packets` packets and `bytes` bytes, as mysql2's do. */
function command(name: string, bytes = 100, packets = 1): PipelinedCommand & { readonly replyState: () => null } {
  const emitter = new EventEmitter();
  const replyState = (): null => null;
  return Object.assign(emitter, {
    next: null,
    replyState,
    start(_packet: unknown, connection: unknown): unknown {
      (connection as FakeConnection).writePacket({ name, bytes, packets });
      return replyState;
    },
  }) as unknown as PipelinedCommand & { readonly replyState: () => null };
}

const asDriver = (connection: FakeConnection): MysqlDriverConnection => connection as unknown as MysqlDriverConnection;

/** A command whose `start` throws (an unsendable value, say) instead of writing its request. */
function failing(name: string, failure: Error): PipelinedCommand {
  return Object.assign(new EventEmitter(), {
    next: null,
    start(): unknown {
      throw failure;
    },
    name,
  }) as unknown as PipelinedCommand;
}

describe('pipelineCommands', () => {
  it("reports a command's failed start at once, to its error listener or its callback, and writes the rest", () => {
    const connection = new FakeConnection();
    const failure = new Error('cannot encode');
    const withListener = failing('listened', failure);
    const heard: unknown[] = [];
    (withListener as unknown as EventEmitter).on('error', (error) => heard.push(error));
    const withCallback = failing('callback', failure);
    const called: unknown[] = [];
    withCallback.onResult = (error) => called.push(error);
    // No listener and no callback: before, the microtask's emit('error') threw an uncaught exception.
    const unheard = failing('unheard', failure);
    const after = command('after');
    pipelineCommands(
      asDriver(connection),
      [withListener, withCallback, unheard, after].map((entry) => ({ command: entry })),
    );
    // Synchronously: before the commands are queued, and before mysql2 could end any of them.
    expect(heard).toEqual([failure]);
    expect(called).toEqual([failure]);
    expect(connection.written).toEqual([['after', 0]]);
    expect(connection.queued).toEqual([withListener, withCallback, unheard, after]);
  });

  it('writes every request, corked, each from sequence id 0, before mysql2 starts any; then queues them in order', () => {
    const connection = new FakeConnection();
    const commands = [command('a'), command('b'), command('c')];
    pipelineCommands(
      asDriver(connection),
      commands.map((entry) => ({ command: entry })),
    );
    expect(connection.written).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
    expect(connection.queued).toEqual(commands);
    expect(connection.stream.corked).toBe(0);
  });

  it('starting a command sets the sequence id its reply carries (after a request of several packets too)', () => {
    const connection = new FakeConnection();
    const big = command('big', 100, 2);
    const small = command('small');
    pipelineCommands(asDriver(connection), [{ command: big }, { command: small }]);
    connection.sequenceId = 77;
    expect(big.next!()).toBe(big.replyState);
    expect(connection.sequenceId).toBe(2);
    expect(small.next!()).toBe(small.replyState);
    expect(connection.sequenceId).toBe(1);
  });

  it('a skipped step writes nothing and ends without a reply', () => {
    const connection = new FakeConnection();
    const skipped = command('prepare-again');
    const execute = command('execute');
    pipelineCommands(asDriver(connection), [{ command: skipped, skip: true }, { command: execute }]);
    expect(connection.written).toEqual([['execute', 0]]);
    expect(skipped.next!()).toBeNull();
  });

  it('writes about PIPELINE_CHUNK_BYTES at a time, the rest once the socket drained, never waiting for a reply', async () => {
    const connection = new FakeConnection();
    const size = PIPELINE_CHUNK_BYTES / 4;
    const commands = Array.from({ length: 10 }, (_, index) => command(`c${index}`, size));
    connection.stream.writableNeedDrain = true;
    pipelineCommands(
      asDriver(connection),
      commands.map((entry) => ({ command: entry })),
    );
    expect(connection.written).toHaveLength(4);
    expect(connection.queued).toHaveLength(10);
    connection.stream.emit('drain');
    expect(connection.written).toHaveLength(8);
    // A command whose turn comes first (its reply cannot, in practice) writes itself and those before it at once.
    commands[9]!.next!();
    expect(connection.written.map(([name]) => name)).toEqual(commands.map((_, index) => `c${index}`));
    connection.stream.emit('drain');
    expect(connection.written).toHaveLength(10);
  });

  it('keeps the sequence id of a reply being read when a later chunk is written', () => {
    const connection = new FakeConnection();
    const commands = Array.from({ length: 8 }, (_, index) => command(`c${index}`, PIPELINE_CHUNK_BYTES / 2));
    connection.stream.writableNeedDrain = true;
    pipelineCommands(
      asDriver(connection),
      commands.map((entry) => ({ command: entry })),
    );
    connection.sequenceId = 5;
    connection.stream.emit('drain');
    expect(connection.sequenceId).toBe(5);
  });
});

describe('collectCommands', () => {
  it('takes the commands instead of queueing them, then gives addCommand back', () => {
    const connection = new FakeConnection();
    const made = command('q');
    const collected = collectCommands(asDriver(connection), () => connection.addCommand(made));
    expect(collected).toEqual([made]);
    expect(connection.queued).toEqual([]);
    connection.addCommand(made);
    expect(connection.queued).toEqual([made]);
  });
});

describe('canPipelineOn', () => {
  it('only on an idle connection without compression or debug', () => {
    const connection = new FakeConnection();
    expect(canPipelineOn(asDriver(connection))).toBe(true);
    connection._command = {};
    expect(canPipelineOn(asDriver(connection))).toBe(false);
    connection._command = null;
    (connection.config as { compress: boolean }).compress = true;
    expect(canPipelineOn(asDriver(connection))).toBe(false);
  });
});
