import { spawn, type ChildProcess } from 'node:child_process';
import { isRunning, signalAndWaitForExit, unrefChild } from '../child-exit.js';
import { LogTail } from '../log-tail.js';
import type { SystemUser } from './system-user.js';

/** How to start one server process of a test cluster. */
export interface ServerProcessOptions {
  /** A short name for messages (`pg primary`, `galera n2`). */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Runs the process as this user (when the test runs as root). */
  readonly user?: SystemUser | undefined;
  /** Checks once whether the server accepts connections; resolves true when it does. */
  readonly ready: () => Promise<boolean>;
  /** How long to wait for `ready`. */
  readonly startTimeoutMs?: number;
  readonly onLog?: ((line: string) => void) | undefined;
}

const POLL_MS = 100;

/**
 * One server process of a test cluster, a child of this process, its output kept in a log tail so that a failure can
 * explain itself. `kill` ends it the hard way (a crash, for failover tests), `stop` the polite way; both wait for the
 * exit. The process never keeps Node alive.
 */
export class ServerProcess {
  readonly name: string;
  readonly log: LogTail;
  readonly #options: ServerProcessOptions;
  #child: ChildProcess | undefined;

  constructor(options: ServerProcessOptions) {
    this.name = options.name;
    this.#options = options;
    this.log = new LogTail(40, options.onLog);
  }

  /** Whether the process runs. */
  get running(): boolean {
    const child = this.#child;
    return child !== undefined && isRunning(child);
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.#child?.pid : undefined;
  }

  /** Starts the process and waits until `ready` says it accepts connections; rejects with the log tail otherwise. */
  async start(): Promise<void> {
    if (this.running) return;
    const { command, args, user } = this.#options;
    const child = spawn(command, [...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.log.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.log.push(chunk));
    child.on('error', (error) => this.log.push(`${error.message}\n`));
    const deadline = Date.now() + (this.#options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (!this.running) throw this.#failure('exited during startup');
      if (await this.#options.ready().catch(() => false)) break;
      if (Date.now() > deadline) {
        this.killSync();
        throw this.#failure('was not ready in time');
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    unrefChild(child);
  }

  /** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. */
  async signal(signal: NodeJS.Signals, timeoutMs = 20_000): Promise<void> {
    if (this.#child) await signalAndWaitForExit(this.#child, signal, timeoutMs);
  }

  /** Sends `signal` (default SIGKILL) without waiting for the exit: for a process `exit` handler. */
  killSync(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.running) this.#child?.kill(signal);
  }

  #failure(what: string): Error {
    return new Error(`${this.name} ${what}. Last lines of its log:\n${this.log.toString() || '(empty)'}`);
  }
}
