import { forkBundle } from '../run/fork-bundle.js';
import type { TdsServerReply, TdsServerRequest } from './tds-server-process.js';

/** A running TDS test server child process. */
export interface TdsServerHandle {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** How long the child may take to load and start listening. */
const START_TIMEOUT_MS = 60_000;

/** Starts the TDS test server over `pgUrl` in a child process running `bundledModule` (tds-server-process.ts). */
export function startTdsServer(bundledModule: string, request: TdsServerRequest): Promise<TdsServerHandle> {
  const child = forkBundle(bundledModule);
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      if (child.connected) child.send('stop');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  return new Promise<TdsServerHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the TDS test server did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('message', (reply: TdsServerReply) => {
      clearTimeout(timer);
      if ('error' in reply) {
        reject(new Error(`the TDS test server failed to start: ${reply.error}`));
        return;
      }
      resolve({ host: reply.host, port: reply.port, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the TDS test server exited (${signal ?? code}) before it was ready`));
    });
    child.send(request);
  });
}
