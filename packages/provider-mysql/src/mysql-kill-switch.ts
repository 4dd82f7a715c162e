import type { MysqlDriver, MysqlDriverConnection, MysqlDriverOptions } from './mysql-driver.js';

/** ER_NO_SUCH_THREAD: the session to kill is already gone, which is as good as killed. */
const ER_NO_SUCH_THREAD = 1094;

interface ControlConnection {
  readonly connection: MysqlDriverConnection;
  /** Serialises the KILLs sent on this connection. */
  queue: Promise<unknown>;
  broken: boolean;
}

/**
 * Sends `KILL QUERY <thread id>` on a side connection, one per server and credentials. The side connection is
 * opened outside the pool on purpose: cancelling must work precisely when the pool is exhausted (knex#4324), and
 * KILL QUERY on a session of the same user needs no extra privilege. It is kept open for the next cancel, its
 * socket unref'd while idle so that it never keeps the process alive.
 */
export class MysqlKillSwitch {
  readonly #driver: MysqlDriver;
  readonly #connections = new Map<string, Promise<ControlConnection>>();

  constructor(driver: MysqlDriver) {
    this.#driver = driver;
  }

  /**
   * Kills the statement session `threadId` is running. Resolves true once the server acknowledged the KILL (or the
   * session no longer exists), false when the side connection failed or `timeoutMs` elapsed: the caller then falls
   * back to closing the session's socket.
   */
  async killQuery(
    serverKey: string,
    options: MysqlDriverOptions,
    threadId: number,
    timeoutMs: number,
  ): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const attempt = this.#kill(serverKey, options, threadId);
    try {
      const killed = await Promise.race([attempt, deadline]);
      if (!killed) this.#discard(serverKey);
      return killed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes every side connection. */
  async closeAll(): Promise<void> {
    const connections = [...this.#connections.keys()];
    await Promise.all(connections.map((key) => this.#discard(key)));
  }

  async #kill(serverKey: string, options: MysqlDriverOptions, threadId: number): Promise<boolean> {
    let control: ControlConnection;
    try {
      control = await this.#control(serverKey, options);
    } catch {
      this.#connections.delete(serverKey);
      return false;
    }
    const run = control.queue.then(() => this.#send(control, threadId));
    control.queue = run.catch(() => undefined);
    return run;
  }

  #send(control: ControlConnection, threadId: number): Promise<boolean> {
    if (control.broken) return Promise.resolve(false);
    control.connection.stream.ref();
    return new Promise<boolean>((resolve) => {
      // The id comes from the server's handshake and is an integer: inlining it cannot inject anything.
      control.connection.query(`KILL QUERY ${Math.trunc(threadId)}`, (error) => {
        control.connection.stream.unref();
        const errno = (error as { errno?: number } | null)?.errno;
        resolve(error === null || errno === ER_NO_SUCH_THREAD);
      });
    });
  }

  #control(serverKey: string, options: MysqlDriverOptions): Promise<ControlConnection> {
    const existing = this.#connections.get(serverKey);
    if (existing) {
      return existing.then((control) => {
        if (!control.broken) return control;
        this.#connections.delete(serverKey);
        return this.#control(serverKey, options);
      });
    }
    const opening = new Promise<ControlConnection>((resolve, reject) => {
      const connection = this.#driver.createConnection({ ...options, database: undefined });
      const control: ControlConnection = { connection, queue: Promise.resolve(), broken: false };
      // A permanent listener: an idle side connection the server closes must never crash the process.
      connection.on('error', () => {
        control.broken = true;
      });
      connection.on('end', () => {
        control.broken = true;
      });
      connection.once('connect', () => {
        connection.stream.unref();
        resolve(control);
      });
      connection.once('error', reject);
    });
    this.#connections.set(serverKey, opening);
    return opening;
  }

  async #discard(serverKey: string): Promise<void> {
    const opening = this.#connections.get(serverKey);
    this.#connections.delete(serverKey);
    const control = await opening?.catch(() => undefined);
    if (!control) return;
    control.broken = true;
    control.connection.destroy();
  }
}
