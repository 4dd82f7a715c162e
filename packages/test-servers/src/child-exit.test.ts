import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isRunning, signalAndWaitForExit } from './child-exit.js';

/** A Node child that runs until killed; with `ignoreTerm` it survives SIGTERM (a wedged server). */
function sleeper(ignoreTerm = false) {
  const script = `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} process.send?.('up'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
  return new Promise<typeof child>((resolve) => child.once('message', () => resolve(child)));
}

describe('signalAndWaitForExit', () => {
  it('sends the signal and resolves once the child has exited', async () => {
    const child = await sleeper();
    await signalAndWaitForExit(child, 'SIGTERM', 10_000);
    expect(isRunning(child)).toBe(false);
    expect(child.signalCode).toBe('SIGTERM');
  });

  it('kills a child that ignores the signal once the timeout has passed', async () => {
    const child = await sleeper(true);
    await signalAndWaitForExit(child, 'SIGTERM', 200);
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('does nothing for a child that has exited already', async () => {
    const child = await sleeper();
    await signalAndWaitForExit(child, 'SIGKILL', 1_000);
    await signalAndWaitForExit(child, 'SIGTERM', 1_000);
    expect(child.signalCode).toBe('SIGKILL');
  });
});
