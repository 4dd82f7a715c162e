import { describe, expect, it } from 'vitest';
import { MemoryProviderFactory } from './memory-provider.js';
import { WaitHandle } from '../async/wait-handle.js';

describe('smoke', () => {
  it('runs the main paths', async () => {
    const factory = new MemoryProviderFactory();
    const connection = factory.createConnection('Database=x;async=true');
    await connection.open();
    const command = connection.createCommand('ROWS 2500');
    const reader = await command.executeReader();
    let n = 0;
    while (await reader.read()) n += reader.getInt32(0);
    await reader.close();
    expect(n).toBe((2500 * 2501) / 2);
    const p = connection.createCommand('PARAMS @a');
    p.parameters.addWithValue('@a', 5);
    expect(await p.executeScalar()).toBe(5);
    const slow = connection.createCommand('DELAY 50; UPDATE 3');
    const ar = slow.beginExecuteNonQuery();
    expect(ar.isCompleted).toBe(false);
    expect(await WaitHandle.waitAny([ar.asyncWaitHandle], 1000)).toBe(0);
    expect(await slow.endExecuteNonQuery(ar)).toBe(3);
    const rows = [];
    for await (const row of await connection.createCommand('ROWS 3').executeReader()) rows.push(row);
    expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await connection.close();
    expect(factory.server.openSessions).toBe(0);
  });
});
