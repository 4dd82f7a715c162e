import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { PgClient, PgFieldDescription, PgSubmittable, PgWireConnection, PgWireValue } from '../pg-client.js';

/** A frontend message the fake wire recorded. */
export type SentMessage =
  | { readonly type: 'parse'; readonly text: string; readonly types: readonly number[] }
  | { readonly type: 'bind'; readonly portal: string; readonly values: readonly PgWireValue[] }
  | { readonly type: 'describe'; readonly kind: 'P' | 'S' }
  | { readonly type: 'execute'; readonly portal: string; readonly rows: number }
  | { readonly type: 'close'; readonly kind: 'P' | 'S'; readonly name: string }
  | { readonly type: 'flush' }
  | { readonly type: 'sync' }
  | { readonly type: 'query'; readonly text: string }
  | { readonly type: 'copyFail' };

/** A `pg` Connection that records what is written and lets the test play the backend. @internal */
export class FakeWire extends EventEmitter implements PgWireConnection {
  readonly sent: SentMessage[] = [];
  parsedStatements: Record<string, string> = {};
  /** Counts pause() and resume() calls: the turn's backpressure on a pipelined result. */
  readonly stream = {
    writable: true,
    paused: false,
    pauses: 0,
    destroy: (): void => {},
    pause(): void {
      this.paused = true;
      this.pauses += 1;
    },
    resume(): void {
      this.paused = false;
    },
  };

  parse(message: { text: string; types?: readonly number[] }): void {
    this.sent.push({ type: 'parse', text: message.text, types: message.types ?? [] });
  }
  bind(message: { portal?: string; values?: readonly PgWireValue[] }): void {
    this.sent.push({ type: 'bind', portal: message.portal ?? '', values: message.values ?? [] });
  }
  describe(message: { type: 'P' | 'S' }): void {
    this.sent.push({ type: 'describe', kind: message.type });
  }
  execute(message: { portal?: string; rows?: number }): void {
    this.sent.push({ type: 'execute', portal: message.portal ?? '', rows: message.rows ?? 0 });
  }
  close(message: { type: 'P' | 'S'; name?: string }): void {
    this.sent.push({ type: 'close', kind: message.type, name: message.name ?? '' });
  }
  flush(): void {
    this.sent.push({ type: 'flush' });
  }
  sync(): void {
    this.sent.push({ type: 'sync' });
  }
  query(text: string): void {
    this.sent.push({ type: 'query', text });
  }
  sendCopyFail(): void {
    this.sent.push({ type: 'copyFail' });
  }
  /** The messages sent since the last call, by type (flushes left out). */
  drain(): string[] {
    const types = this.sent.filter((message) => message.type !== 'flush').map((message) => message.type);
    this.sent.length = 0;
    return types;
  }
}

/** A `pg` Client whose backend is the test. @internal */
export class FakeClient extends EventEmitter {
  readonly connection = new FakeWire();
  readonly processID = 4242;
  readonly secretKey = 77;
  readonly host = '127.0.0.1';
  port: number;
  readonly database = 'fake';
  readonly serverParameters = new Map<string, string>([['server_version', '16.2 (fake)']]);
  active: PgSubmittable | undefined;
  transactionStatus = 'I';

  constructor(cancelPort: number) {
    super();
    this.port = cancelPort;
  }

  connect(): Promise<unknown> {
    return Promise.resolve(this);
  }
  query(submittable: PgSubmittable): void {
    this.active = submittable;
    submittable.submit(this.connection);
  }
  getTransactionStatus(): string {
    return this.transactionStatus;
  }
  end(): Promise<void> {
    return Promise.resolve();
  }

  /** The backend's answers, delivered the way pg's Client delivers them. */
  rowDescription(...names: string[]): void {
    this.typedRowDescription(23, ...names);
  }
  /** A RowDescription whose columns all have the type `oid`. */
  typedRowDescription(oid: number, ...names: string[]): void {
    const fields: PgFieldDescription[] = names.map((name) => ({
      name,
      tableID: 0,
      columnID: 0,
      dataTypeID: oid,
      dataTypeSize: 4,
      dataTypeModifier: -1,
      format: 'text',
    }));
    this.active?.handleRowDescription({ fields });
  }
  noData(): void {
    this.connection.emit('noData');
  }
  /** One DataRow with these text values. */
  row(...values: Array<string | null>): void {
    this.active?.handleDataRow({ fields: values });
  }
  rows(count: number, from = 1): void {
    for (let i = 0; i < count; i += 1) this.active?.handleDataRow({ fields: [String(from + i)] });
  }
  suspended(): void {
    this.active?.handlePortalSuspended(this.connection);
  }
  complete(tag: string): void {
    this.active?.handleCommandComplete({ text: tag }, this.connection);
  }
  closeComplete(): void {
    this.connection.emit('closeComplete');
  }
  error(code: string, message: string): void {
    const active = this.active;
    this.active = undefined;
    active?.handleError(Object.assign(new Error(message), { code, severity: 'ERROR' }), this.connection);
  }
  ready(): void {
    const active = this.active;
    this.active = undefined;
    if (active) active.handleReadyForQuery(this.connection);
    else this.connection.emit('readyForQuery', {});
  }

  /** Typed view for the provider's structural interface. */
  asClient(): PgClient {
    return this as unknown as PgClient;
  }
}

/** A stand-in postmaster that records CancelRequest packets and closes each socket when told to. @internal */
export class FakePostmaster {
  readonly packets: Buffer[] = [];
  readonly #server: Server;
  readonly #held: Socket[] = [];
  holdSockets = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakePostmaster> {
    const server = createServer();
    const postmaster = new FakePostmaster(server);
    server.on('connection', (socket) => {
      socket.on('data', (data) => {
        postmaster.packets.push(data);
        if (postmaster.holdSockets) postmaster.#held.push(socket);
        else socket.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return postmaster;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Closes the sockets held so far: the acknowledgement a real postmaster gives after signalling the backend. */
  release(): void {
    for (const socket of this.#held.splice(0)) socket.end();
  }

  /** Resolves once `count` packets have arrived. */
  async waitForPackets(count: number): Promise<void> {
    while (this.packets.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** Lets pending promise callbacks and I/O run. @internal */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
