import { describe, expect, it } from 'vitest';
import type { MysqlDriverConnection } from './mysql-driver.js';
import { pipelineResetAndSettings, queryPacket } from './mysql-pipelined-reset.js';

interface Command {
  execute(packet: unknown, connection: unknown): boolean;
  onResult(error: Error | null): void;
}

/** The parts of a mysql2 connection the pipelined reset uses, recording what it does. */
class FakeMysql2 {
  readonly log: string[] = [];
  readonly commands: Command[] = [];
  _command: unknown = undefined;
  sequenceId = 0;
  serverCapabilityFlags = 0;
  config: { clientFlags: number; compress?: boolean } = { clientFlags: 0 };
  resetCallback: ((error: Error | null) => void) | undefined;
  readonly stream = { cork: () => this.log.push('cork'), uncork: () => this.log.push('uncork') };
  reset(callback: (error: Error | null) => void): void {
    this.log.push('reset');
    this.resetCallback = callback;
  }
  write(buffer: Buffer): void {
    this.log.push(`write ${buffer.toString('hex')}`);
  }
  addCommand(command: Command): void {
    this.log.push('addCommand');
    this.commands.push(command);
  }
}

const ok = {
  isError: () => false,
  asError: () => new Error('no'),
  isEOF: () => false,
  eofWarningCount: () => 0,
  eofStatusFlags: () => 0,
};
const err = { ...ok, isError: () => true, asError: () => new Error('Unknown system variable') };

function run(fake: FakeMysql2): { started: boolean; results: Array<Error | null> } {
  const results: Array<Error | null> = [];
  const started = pipelineResetAndSettings(fake as unknown as MysqlDriverConnection, 'SET a=1', (error) =>
    results.push(error),
  );
  return { started, results };
}

describe('queryPacket', () => {
  it('is a COM_QUERY packet with sequence id 0', () => {
    expect(queryPacket('SET a=1', false).toString('hex')).toBe(
      '080000' + '00' + '03' + Buffer.from('SET a=1').toString('hex'),
    );
  });

  it('has the empty query-attribute counts when CLIENT_QUERY_ATTRIBUTES was negotiated', () => {
    expect(queryPacket('SET a=1', true).toString('hex')).toBe(
      '0a0000' + '00' + '030001' + Buffer.from('SET a=1').toString('hex'),
    );
  });
});

describe('pipelineResetAndSettings', () => {
  it('writes the reset and the statement while corked, then takes the statement reply as sequence id 1', () => {
    const fake = new FakeMysql2();
    const { started, results } = run(fake);
    expect(started).toBe(true);
    expect(fake.log).toEqual([
      'cork',
      'reset',
      `write ${queryPacket('SET a=1', false).toString('hex')}`,
      'addCommand',
      'uncork',
    ]);
    const reply = fake.commands[0]!;
    fake.sequenceId = 0;
    expect(reply.execute(undefined, fake)).toBe(false);
    expect(fake.sequenceId).toBe(1);
    fake.resetCallback?.(null);
    expect(results).toEqual([]);
    expect(reply.execute(ok, fake)).toBe(true);
    expect(results).toEqual([null]);
  });

  it('reports the first failure once both replies are in', () => {
    const fake = new FakeMysql2();
    const { results } = run(fake);
    const reply = fake.commands[0]!;
    reply.execute(undefined, fake);
    reply.execute(err, fake);
    expect(results).toEqual([]);
    fake.resetCallback?.(null);
    expect(results.map((error) => error?.message)).toEqual(['Unknown system variable']);
  });

  it('settles once when the connection fails with both commands pending', () => {
    const fake = new FakeMysql2();
    const { results } = run(fake);
    const lost = new Error('lost');
    fake.resetCallback?.(lost);
    fake.commands[0]!.onResult(lost);
    expect(results).toEqual([lost]);
  });

  it('does nothing when the connection is busy or compressed (the caller resets the usual way)', () => {
    const busy = new FakeMysql2();
    busy._command = {};
    expect(run(busy).started).toBe(false);
    const compressed = new FakeMysql2();
    compressed.config = { clientFlags: 0, compress: true };
    expect(run(compressed).started).toBe(false);
    expect([...busy.log, ...compressed.log]).toEqual([]);
  });
});
