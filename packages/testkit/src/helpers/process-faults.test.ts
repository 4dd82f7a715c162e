import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait-until.js';
import { watchProcessFaults } from './process-faults.js';

describe('watchProcessFaults', () => {
  it('records process warnings with their code until stopped', async () => {
    const faults = watchProcessFaults();
    process.emitWarning('test warning', { code: 'ASYNCDB_TEST_WARNING' });
    await waitUntil(() => faults.warnings.length > 0, { timeoutMs: 1000 });
    faults.stop();
    process.emitWarning('after stop', { code: 'ASYNCDB_TEST_WARNING' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(faults.warnings.map((warning) => warning.code)).toEqual(['ASYNCDB_TEST_WARNING']);
  });

  it('removes every listener it added', () => {
    const before = ['unhandledRejection', 'uncaughtException', 'warning'].map((event) => process.listenerCount(event));
    const faults = watchProcessFaults();
    faults.stop();
    faults.stop();
    expect(['unhandledRejection', 'uncaughtException', 'warning'].map((event) => process.listenerCount(event))).toEqual(
      before,
    );
  });
});
