import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { WaitHandle, signalWaitHandle } from '../async/wait-handle.js';
import { ArgumentError, ConnectionStringError } from '../errors/errors.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { openConnection, recordProcessEvents } from '../testing/test-support.js';

/** Issue 13 item 5: timeouts above 2^31-1 ms fired at once (Node's timer overflow) instead of waiting. */
describe('timeouts longer than a Node timer holds (issue 13 item 5)', () => {
  it('Connect Timeout=2147484 waits for a slow open instead of failing after a few ms', async () => {
    const warnings = recordProcessEvents<Error>('warning');
    try {
      const connection = new MemoryProviderFactory().createConnection('Connect Timeout=2147484;Open Delay=80');
      await connection.open();
      expect(connection.state).toBe('Open');
      await connection.close();
    } finally {
      warnings.dispose();
    }
    expect(warnings.events.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
  });

  it('commandTimeout = 2147484 runs a slow command to its end without TimeoutOverflowWarnings (a timer re-armed every 1 ms)', async () => {
    const { connection } = await openConnection();
    const warnings = recordProcessEvents<Error>('warning');
    const command = connection.createCommand('DELAY 80; UPDATE 1');
    command.commandTimeout = 2_147_484;
    try {
      expect(await command.executeNonQuery()).toBe(1);
    } finally {
      warnings.dispose();
    }
    expect(warnings.events.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
    await connection.close();
  });

  it('waitOne(2**31) on an unset handle keeps waiting instead of returning false at once', async () => {
    const handle = new WaitHandle();
    const warnings = recordProcessEvents<Error>('warning');
    const outcome = await Promise.race([handle.waitOne(2 ** 31), sleep(60).then(() => 'still waiting' as const)]);
    signalWaitHandle(handle);
    warnings.dispose();
    expect(outcome).toBe('still waiting');
    expect(warnings.events.map((warning) => warning.name)).not.toContain('TimeoutOverflowWarning');
  });

  it('waitAny and waitAll with 2**31 ms keep waiting too', async () => {
    const handle = new WaitHandle();
    const any = await Promise.race([WaitHandle.waitAny([handle], 2 ** 31), sleep(40).then(() => 'waiting' as const)]);
    const all = await Promise.race([WaitHandle.waitAll([handle], 2 ** 31), sleep(40).then(() => 'waiting' as const)]);
    signalWaitHandle(handle);
    expect([any, all]).toEqual(['waiting', 'waiting']);
  });

  it('accepts Int32.MaxValue seconds and rejects more, naming the limit', async () => {
    const { connection } = await openConnection();
    const command = connection.createCommand('UPDATE 1');
    command.commandTimeout = 2_147_483_647;
    expect(command.commandTimeout).toBe(2_147_483_647);
    let error: unknown;
    try {
      command.commandTimeout = 2_147_483_648;
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain('2147483647');
    expect(() => new MemoryProviderFactory().createConnection('Command Timeout=2147483648')).toThrow(
      ConnectionStringError,
    );
    expect(() => new MemoryProviderFactory().createConnection('Connect Timeout=2147483648')).toThrow(
      ConnectionStringError,
    );
    await connection.close();
  });
});
