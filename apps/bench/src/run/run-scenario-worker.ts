import type { ScenarioOutcome } from './results.js';
import { forkBundle } from './fork-bundle.js';
import type { ScenarioMessage, ScenarioRequest } from './scenario-worker.js';

/** A scenario gets this long before its worker is killed (a full mssql streaming scenario is the longest). */
const WORKER_TIMEOUT_MS = 30 * 60_000;

/** Runs one scenario in a fresh worker process (see scenario-worker.ts), relaying its progress lines to `log`. */
export function runScenarioInWorker(workerModule: string, request: ScenarioRequest, log: (line: string) => void): Promise<ScenarioOutcome> {
  return new Promise((resolve, reject) => {
    const worker = forkBundle(workerModule);
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      worker.kill('SIGKILL');
      finish(() => reject(new Error(`did not finish within ${WORKER_TIMEOUT_MS / 60_000} min`)));
    }, WORKER_TIMEOUT_MS);
    worker.on('message', (message: ScenarioMessage) => {
      if ('log' in message) log(message.log);
      else if ('outcome' in message) finish(() => resolve(message.outcome));
      else finish(() => reject(new Error(message.error)));
    });
    worker.once('exit', (code, signal) => finish(() => reject(new Error(`the scenario worker exited (${signal ?? code}) without a result`))));
    worker.send(request);
  });
}
