import type { ChildProcess } from 'node:child_process';

/** Whether the process has not exited yet. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Lets this Node process exit while `child` still runs: neither it nor its output pipes keep the event loop up. */
export function unrefChild(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as { unref?: () => void } | null)?.unref?.();
  }
}

/**
 * Sends `signal` to a running `child` and waits until it has exited; SIGKILL after `timeoutMs`, so a wedged server
 * cannot hang a test run. Nothing to do when it has exited already.
 */
export async function signalAndWaitForExit(
  child: ChildProcess,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<void> {
  if (!isRunning(child)) return;
  // Keep the event loop alive until the exit is observed: the child was unref'd after startup.
  child.ref();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
