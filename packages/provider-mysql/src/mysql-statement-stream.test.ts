import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MysqlCommand, MysqlField, MysqlPacket } from './mysql-driver.js';
import { MysqlStatementStream } from './mysql-statement-stream.js';

/** A stand-in for a mysql2 command: emits what the test tells it to. */
class FakeCommand extends EventEmitter {}

function setup(highWaterMark: number) {
  const calls: string[] = [];
  const stream = new MysqlStatementStream(
    { pause: () => calls.push('pause'), resume: () => calls.push('resume') },
    highWaterMark,
  );
  const command = new FakeCommand();
  stream.attach(command as unknown as MysqlCommand);
  return { stream, command, calls };
}

const fields = [{ name: 'n' }] as unknown as MysqlField[];

describe('MysqlStatementStream', () => {
  it('queues columns, rows and the end in order', () => {
    const { stream, command } = setup(10);
    command.emit('fields', fields);
    command.emit('result', [1]);
    command.emit('result', [2]);
    command.emit('end');
    expect([stream.take(), stream.take(), stream.take(), stream.take(), stream.take()]).toEqual([
      { kind: 'columns', fields },
      { kind: 'row', row: [1] },
      { kind: 'row', row: [2] },
      { kind: 'end' },
      undefined,
    ]);
    expect(stream.finished).toBe(true);
  });

  it('turns the result after `fields: undefined` into an OK item and keeps its warning count', () => {
    const { stream, command } = setup(10);
    command.emit('fields', undefined);
    command.emit('result', { affectedRows: 3, insertId: 0, warningStatus: 2 });
    command.emit('end');
    expect(stream.take()).toEqual({ kind: 'ok', packet: { affectedRows: 3, insertId: 0, warningStatus: 2 } });
    expect(stream.warningCount).toBe(2);
  });

  it('pauses the socket at the high-water mark and resumes once half is taken', () => {
    const { stream, command, calls } = setup(4);
    command.emit('fields', fields);
    for (let i = 0; i < 4; i++) command.emit('result', [i]);
    expect(calls).toEqual(['pause']);
    expect(stream.paused).toBe(true);
    stream.take();
    stream.take();
    expect(calls).toEqual(['pause']);
    stream.take();
    expect(calls).toEqual(['pause', 'resume']);
    expect(stream.paused).toBe(false);
  });

  it('ignores everything after the terminal item (mysql2 can emit end twice)', () => {
    const { stream, command } = setup(10);
    const failure = new Error('prepare failed');
    command.emit('error', failure);
    command.emit('end');
    command.emit('end');
    expect(stream.take()).toEqual({ kind: 'error', error: failure });
    expect(stream.take()).toBeUndefined();
  });

  it('drops rows but keeps results and the end when discarding, and resumes the socket', () => {
    const { stream, command, calls } = setup(2);
    command.emit('fields', fields);
    command.emit('result', [1]);
    command.emit('result', [2]);
    stream.discard();
    command.emit('result', [3]);
    command.emit('fields', undefined);
    command.emit('result', { affectedRows: 1, insertId: 0 });
    command.emit('end');
    expect(calls).toEqual(['pause', 'resume']);
    expect(stream.take()).toEqual({ kind: 'columns', fields });
    expect(stream.take()?.kind).toBe('ok');
    expect(stream.take()?.kind).toBe('end');
  });

  it('wakes a waiting reader when an item arrives', async () => {
    const { stream, command } = setup(10);
    const waiting = stream.waitForItem();
    command.emit('fields', fields);
    await waiting;
    expect(stream.peek()?.kind).toBe('columns');
  });

  it('wakes a one-shot reader once, synchronously, on the next push, the end or an interrupt', () => {
    const { stream, command } = setup(10);
    let wakes = 0;
    const reader = { onPush: () => (wakes += 1) };
    stream.onNextPush(reader);
    command.emit('fields', fields);
    expect(wakes).toBe(1);
    command.emit('result', [1]);
    expect(wakes).toBe(1);
    stream.onNextPush(reader);
    stream.interrupt();
    expect(wakes).toBe(2);
    stream.onNextPush(reader);
    command.emit('end');
    expect(wakes).toBe(3);
  });

  it('wakes a reader waiting for the end only at the end, when the buffer fills, or on an interrupt', async () => {
    const { stream, command, calls } = setup(3);
    let wakes = 0;
    const reader = { onPush: () => (wakes += 1) };
    stream.onEndOrPause(reader);
    command.emit('fields', fields);
    command.emit('result', [1]);
    command.emit('result', [2]);
    expect(wakes).toBe(0);
    // The third row fills the buffer: the socket pauses and the reader must decide (kill or drain).
    command.emit('result', [3]);
    expect(calls).toEqual(['pause']);
    expect(wakes).toBe(1);
    stream.onEndOrPause(reader);
    stream.interrupt();
    expect(wakes).toBe(2);
    stream.onEndOrPause(reader);
    command.emit('end');
    expect(wakes).toBe(3);
    // A wait that replaced it is woken by the next item again.
    const { stream: other, command: otherCommand } = setup(10);
    other.onEndOrPause(reader);
    const waiting = other.waitForItem();
    otherCommand.emit('fields', fields);
    await waiting;
    expect(wakes).toBe(3);
  });

  it('lets a later wait replace a one-shot reader, and a one-shot reader replace a wait', async () => {
    const { stream, command } = setup(10);
    let wakes = 0;
    stream.onNextPush({ onPush: () => (wakes += 1) });
    const waiting = stream.waitForItem();
    command.emit('fields', fields);
    await waiting;
    expect(wakes).toBe(0);
    stream.take();
    void stream.waitForItem();
    stream.onNextPush({ onPush: () => (wakes += 1) });
    command.emit('result', [1]);
    expect(wakes).toBe(1);
  });

  it("takes the warning count and status of the packet that ended the command (a result set's EOF packet)", () => {
    const ending: MysqlPacket = { isEOF: () => true, eofWarningCount: () => 3, eofStatusFlags: () => 3 };
    const stream = new MysqlStatementStream({ pause: () => {}, resume: () => {}, endingPacket: () => ending }, 10);
    const command = new FakeCommand();
    stream.attach(command as unknown as MysqlCommand);
    command.emit('fields', fields);
    command.emit('result', [1]);
    expect(stream.warningCount).toBe(0);
    expect(stream.serverStatus).toBeUndefined();
    command.emit('end');
    expect(stream.warningCount).toBe(3);
    expect(stream.serverStatus).toBe(3);
  });

  it("takes the status of a statement's OK packet, and knows none when the statement failed", () => {
    const { stream, command } = setup(10);
    command.emit('fields', undefined);
    command.emit('result', { affectedRows: 0, insertId: 0, serverStatus: 1 });
    command.emit('end');
    expect(stream.serverStatus).toBe(1);
    const failed = setup(10);
    failed.command.emit('fields', undefined);
    failed.command.emit('result', { affectedRows: 0, insertId: 0, serverStatus: 2 });
    failed.command.emit('error', new Error('lost'));
    expect(failed.stream.serverStatus).toBeUndefined();
  });

  it('tells its session once, synchronously, that it ended', () => {
    const ended: MysqlStatementStream[] = [];
    const stream = new MysqlStatementStream(
      { pause: () => {}, resume: () => {}, streamFinished: (s) => ended.push(s) },
      10,
    );
    const command = new FakeCommand();
    stream.attach(command as unknown as MysqlCommand);
    command.emit('end');
    command.emit('end');
    expect(ended).toEqual([stream]);
  });

  it('resolves done when finished from outside (a lost connection)', async () => {
    const { stream } = setup(10);
    stream.finish({ kind: 'error', error: new Error('lost') });
    await expect(stream.done).resolves.toBeUndefined();
    expect(stream.take()?.kind).toBe('error');
  });
});
