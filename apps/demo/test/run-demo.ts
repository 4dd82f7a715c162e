import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The demo's directory, where `npm run start` runs it. */
export const DEMO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

/** How a demo process ended, and what it printed. */
export interface DemoRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running demo process, for tests that talk to it before it ends. */
export interface DemoProcess {
  /** Resolves when stdout has printed text matching `pattern`, with everything printed so far. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends a signal to the process group, as Ctrl-C in a terminal does. */
  interrupt(signal?: NodeJS.Signals): void;
  readonly done: Promise<DemoRun>;
}

/**
 * Starts `src/main.ts` exactly as `npm run demo` does (tsx with the `@asyncdb/source` condition, in the demo's
 * directory), in its own process group, with pipes for output — so it is not a terminal, as in CI. The demo's
 * own environment variables are removed so the arguments alone decide.
 */
export function startDemo(args: readonly string[], env: NodeJS.ProcessEnv = {}): DemoProcess {
  const child = spawn(process.execPath, [TSX_CLI, '--conditions=@asyncdb/source', 'src/main.ts', ...args], {
    cwd: DEMO_ROOT,
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ASYNCDB_DEMO_'))),
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<DemoRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    done,
    interrupt(signal = 'SIGINT') {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    },
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(stdout)) return;
          cleanup();
          resolve(stdout);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `The demo did not print ${pattern} within ${timeoutMs} ms. stdout:\n${stdout}\nstderr:\n${stderr}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        void done.then(() => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`The demo ended without printing ${pattern}. stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        });
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs the demo to its end. */
export function runDemo(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<DemoRun> {
  return startDemo(args, env).done;
}
