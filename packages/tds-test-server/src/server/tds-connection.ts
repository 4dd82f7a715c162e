import type { Socket } from 'node:net';
import { TdsEngineError, type TdsEngine, type TdsSession } from '../engine/engine-types.js';
import { decodeLogin7, FeatureId } from '../protocol/login7.js';
import { MessageAssembler, type ClientMessage } from '../protocol/message-assembler.js';
import { DEFAULT_PACKET_SIZE, PacketType, packetTypeName } from '../protocol/packet.js';
import { PacketFramer } from '../protocol/packet-framer.js';
import { decodePrelogin, Encryption, encodePreloginResponse } from '../protocol/prelogin.js';
import { ProtocolError } from '../protocol/protocol-error.js';
import { DoneStatus, encodeDone } from '../protocol/tokens/done-token.js';
import { ActiveRequest } from './active-request.js';
import { LOGIN_FAILED_ERROR, toTdsMessage } from './engine-errors.js';
import {
  loginFailureTokens,
  loginRefused,
  loginSuccessTokens,
  negotiatePacketSize,
  parseServerVersion,
  type ServerVersion,
} from './login-response.js';
import { PacketWriter } from './packet-writer.js';
import { runRequest } from './request-runner.js';

/** What every connection of a server shares. */
export interface ConnectionContext {
  readonly engine: TdsEngine;
  readonly serverName: string;
  readonly log: (message: string) => void;
  /** How long a new request waits for the engine to let go of a cancelled one before running anyway. */
  readonly settleTimeoutMs: number;
}

type State = 'prelogin' | 'login' | 'ready' | 'closed';

/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE = 0x16;
/** How long a connection stays open after a failed login for the client to read the error. */
const LOGIN_FAILURE_LINGER_MS = 5000;

/**
 * One client connection: PRELOGIN → LOGIN7 → requests, each answered in order. Bytes are framed as
 * they arrive so ATTENTION is seen while a response is still streaming; every other message waits
 * its turn. Anything that breaks the framing or the state machine closes the connection with a
 * logged reason; nothing a client sends can throw out of this class.
 */
export class TdsConnection {
  private state: State = 'prelogin';
  private readonly framer = new PacketFramer();
  private readonly assembler = new MessageAssembler();
  private readonly writer: PacketWriter;
  private readonly queue: ClientMessage[] = [];
  private processing: Promise<void> | undefined;
  private session: TdsSession | undefined;
  private database = '';
  private active: ActiveRequest | undefined;
  /** Settles once the engine has let go of the previous request. */
  private previous: Promise<void> = Promise.resolve();
  private readonly version: ServerVersion;
  private readonly label: string;
  private resolveClosed!: () => void;
  /** Resolves once the socket is closed and the session (if any) has been closed. */
  readonly closed: Promise<void> = new Promise((resolve) => (this.resolveClosed = resolve));

  constructor(
    private readonly socket: Socket,
    private readonly context: ConnectionContext,
  ) {
    this.label = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.version = parseServerVersion(context.engine.serverVersion);
    this.writer = new PacketWriter(socket, DEFAULT_PACKET_SIZE);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A client that vanishes mid-response resets the connection; that is not worth a log line.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE')
        this.context.log(`connection ${this.label}: socket error: ${error.message}`);
    });
    socket.on('close', () => void this.onClose());
  }

  /** Closes the connection (server shutdown); resolves once its session is closed. */
  close(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    if (this.state === 'prelogin' && !this.assembler.inMessage && chunk[0] === TLS_HANDSHAKE && chunk[1] === 0x03) {
      // tedious with `encrypt: 'strict'` (TDS 8) opens TLS before PRELOGIN.
      this.fail(
        new ProtocolError(
          "the client started TLS before PRELOGIN (encrypt: 'strict'); this server speaks TDS 7.4 without encryption",
        ),
      );
      return;
    }
    try {
      for (const packet of this.framer.push(chunk)) {
        const message = this.assembler.push(packet);
        if (message) this.onMessage(message);
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private onMessage(message: ClientMessage): void {
    // ATTENTION overtakes the queue: it must reach the request that is streaming right now.
    if (message.type === PacketType.Attention && this.active && !this.active.attention) {
      this.active.cancelByAttention();
      return;
    }
    this.queue.push(message);
    void this.processQueue();
  }

  private processQueue(): Promise<void> {
    this.processing ??= (async () => {
      try {
        while (this.queue.length > 0 && this.state !== 'closed') {
          await this.handle(this.queue.shift()!);
        }
      } catch (error) {
        this.fail(error);
      } finally {
        this.processing = undefined;
      }
    })();
    return this.processing;
  }

  private async handle(message: ClientMessage): Promise<void> {
    switch (this.state) {
      case 'prelogin':
        if (message.type === PacketType.Prelogin) return this.handlePrelogin(message);
        if (message.type === PacketType.Login7) return this.handleLogin(message);
        break;
      case 'login':
        if (message.type === PacketType.Login7) return this.handleLogin(message);
        break;
      case 'ready':
        if (message.type === PacketType.Attention) return this.acknowledgeIdleAttention();
        if (
          message.type === PacketType.SqlBatch ||
          message.type === PacketType.RpcRequest ||
          message.type === PacketType.TransactionManager
        ) {
          return this.handleRequest(message);
        }
        break;
      case 'closed':
        return;
    }
    throw new ProtocolError(`unexpected ${packetTypeName(message.type)} message in state '${this.state}'`);
  }

  private handlePrelogin(message: ClientMessage): void {
    const prelogin = decodePrelogin(message.payload);
    if (prelogin.encryption === Encryption.Required) {
      // The client insists on TLS, which this server does not offer; SQL Server would fail the same way.
      this.context.log(`connection ${this.label}: client requires encryption; answering ENCRYPT_NOT_SUP`);
    }
    this.writer.write(encodePreloginResponse({ version: this.version, encryption: Encryption.NotSupported }));
    this.writer.endMessage();
    this.state = 'login';
  }

  private async handleLogin(message: ClientMessage): Promise<void> {
    const login = decodeLogin7(message.payload);
    const refuse = (reason: string): void => this.refuseLogin(loginRefused(login.userName, reason));
    if (login.integratedSecurity) return refuse('integrated (SSPI/NTLM) authentication is not supported');
    if (login.features.has(FeatureId.FedAuth)) return refuse('federated (Entra ID) authentication is not supported');
    let session: TdsSession;
    try {
      session = await this.context.engine.openSession({
        userName: login.userName,
        password: login.password,
        database: login.database,
        appName: login.appName,
        hostName: login.hostName,
      });
    } catch (error) {
      if (!(error instanceof TdsEngineError))
        this.context.log(`connection ${this.label}: openSession failed: ${String(error)}`);
      const message =
        error instanceof TdsEngineError ? error.tdsMessage : loginRefused(login.userName, toTdsMessage(error).message);
      return this.refuseLogin({ ...message, number: message.number || LOGIN_FAILED_ERROR });
    }
    if (this.state === 'closed') {
      await session.close().catch(() => undefined);
      return;
    }
    this.session = session;
    this.database = session.database;
    // SQL Server closes the socket of a killed session; clients and pools must see it at once, not at the next request.
    session.ended?.then(
      () => void this.endKilledSession(),
      () => void this.endKilledSession(),
    );
    this.writer.spid = session.spid;
    const packetSize = negotiatePacketSize(login.packetSize);
    for (const token of loginSuccessTokens(login, session, {
      serverName: this.context.serverName,
      version: this.version,
      packetSize,
    })) {
      this.writer.write(token);
    }
    this.writer.endMessage();
    this.writer.packetSize = packetSize;
    this.state = 'ready';
  }

  /** Sends the login error and closes the connection, as SQL Server does after a failed login. */
  private refuseLogin(message: Parameters<typeof loginFailureTokens>[0]): void {
    for (const token of loginFailureTokens(message, this.context.serverName)) this.writer.write(token);
    this.writer.endMessage();
    this.state = 'closed';
    this.socket.end();
    // The client normally hangs up at once; one that does not is cut off.
    setTimeout(() => this.socket.destroy(), LOGIN_FAILURE_LINGER_MS).unref();
  }

  private acknowledgeIdleAttention(): void {
    // The request the client cancelled had already finished: acknowledge in a message of its own.
    this.writer.write(encodeDone('done', DoneStatus.Attention));
    this.writer.endMessage();
  }

  private async handleRequest(message: ClientMessage): Promise<void> {
    const request = new ActiveRequest();
    this.active = request;
    try {
      await this.waitForPrevious();
      const result = await runRequest(message, {
        session: this.session!,
        writer: this.writer,
        request,
        serverName: this.context.serverName,
        database: this.database,
        log: (text) => this.context.log(`connection ${this.label}: ${text}`),
      });
      this.database = result.database;
      this.previous = result.settled;
    } finally {
      this.active = undefined;
    }
  }

  private async waitForPrevious(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(true), this.context.settleTimeoutMs)),
    );
    const late = await Promise.race([this.previous.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late)
      this.context.log(
        `connection ${this.label}: the engine has not finished the cancelled request; running the next one anyway`,
      );
    this.previous = Promise.resolve();
  }

  /** The session's backend went away: let the running response (with its fatal error) finish, then hang up. */
  private async endKilledSession(): Promise<void> {
    await this.processing;
    if (this.state === 'closed') return;
    this.context.log(`connection ${this.label} closed: the session was killed or its backend ended`);
    this.state = 'closed';
    // end(), not destroy(): the fatal error just written must reach the client before the socket goes.
    this.socket.end();
    setTimeout(() => this.socket.destroy(), LOGIN_FAILURE_LINGER_MS).unref();
  }

  private fail(error: unknown): void {
    if (this.state === 'closed') return;
    const reason = error instanceof Error ? error.message : String(error);
    this.context.log(
      `connection ${this.label} closed: ${error instanceof ProtocolError ? 'protocol error: ' : ''}${reason}`,
    );
    this.state = 'closed';
    this.socket.destroy();
  }

  private async onClose(): Promise<void> {
    this.state = 'closed';
    this.queue.length = 0;
    this.active?.abort('connection closed');
    // The request being answered stops at its next wait; its session must outlive it.
    await this.processing;
    const session = this.session;
    this.session = undefined;
    if (session) {
      // Let the engine finish the cancelled request before its session goes away.
      await Promise.race([this.previous, new Promise((resolve) => setTimeout(resolve, this.context.settleTimeoutMs))]);
      try {
        await session.close();
      } catch (error) {
        this.context.log(`connection ${this.label}: closing the session failed: ${String(error)}`);
      }
    }
    this.resolveClosed();
  }
}
