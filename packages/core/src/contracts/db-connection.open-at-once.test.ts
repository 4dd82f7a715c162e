import { describe, expect, it } from 'vitest';
import { DbConnection } from './db-connection.js';
import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import type {
  CloseContext,
  CommandRequest,
  OpenContext,
  ResultCursor,
  SessionInfo,
  TransactionRequest,
} from '../providers/provider-spi.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';

/** A connection whose provider can open without I/O (as a multiplexed connection can): it records which hook ran. */
class AtOnceConnection extends DbConnection {
  readonly calls: string[] = [];
  atOnce: SessionInfo | undefined = { serverVersion: '1', database: 'shared', dataSource: 'mux' };
  closesAtOnce = true;

  constructor() {
    super('Database=shop', new MemoryProviderFactory());
  }
  protected override openAtOnce(builder: DbConnectionStringBuilder): SessionInfo | undefined {
    this.calls.push(`openAtOnce ${builder.getString('Database')}`);
    return this.atOnce;
  }
  protected override closeAtOnce(broken: boolean): boolean {
    this.calls.push(`closeAtOnce ${broken}`);
    return this.closesAtOnce;
  }
  protected override async openCore(_context: OpenContext): Promise<SessionInfo> {
    this.calls.push('openCore');
    return { serverVersion: '1', database: 'own', dataSource: 'here' };
  }
  protected override async closeCore(context: CloseContext): Promise<void> {
    this.calls.push(`closeCore ${context.broken}`);
  }
  protected override executeCore(_request: CommandRequest): Promise<ResultCursor> {
    return Promise.reject(new Error('not used'));
  }
  protected override async transactionCore(request: TransactionRequest): Promise<void> {
    this.calls.push(request.kind);
  }
}

describe('openAtOnce / closeAtOnce: an open that needs no I/O', () => {
  it('opens synchronously through openAtOnce, never calling openCore, with the usual state changes', async () => {
    const connection = new AtOnceConnection();
    const states: string[] = [];
    connection.on('stateChange', (change) => states.push(change.currentState));
    const opening = connection.open();
    // Open before the promise is even awaited: no signal, deadline or promise hop in between.
    expect(connection.state).toBe('Open');
    await opening;
    expect(connection.database).toBe('shared');
    expect(connection.calls).toEqual(['openAtOnce shop']);
    expect(states).toEqual(['Connecting', 'Open']);
  });

  it('closes through closeAtOnce when nothing runs, synchronously, without closeCore', async () => {
    const connection = new AtOnceConnection();
    await connection.open();
    const closing = connection.close();
    expect(connection.state).toBe('Closed');
    await closing;
    expect(connection.calls).toEqual(['openAtOnce shop', 'closeAtOnce false']);
    expect(connection.database).toBe('');
    // And opens again the same way.
    await connection.open();
    expect(connection.calls.at(-1)).toBe('openAtOnce shop');
  });

  it('calls closeCore when closeAtOnce declines', async () => {
    const connection = new AtOnceConnection();
    connection.closesAtOnce = false;
    await connection.open();
    await connection.close();
    expect(connection.calls).toEqual(['openAtOnce shop', 'closeAtOnce false', 'closeCore false']);
  });

  it('closes a connection with a transaction open through closeCore (closeAtOnce is not asked)', async () => {
    const connection = new AtOnceConnection();
    await connection.open();
    await connection.beginTransaction();
    await connection.close();
    expect(connection.calls).toEqual(['openAtOnce shop', 'begin', 'closeCore false']);
  });

  it('opens with openCore when openAtOnce returns undefined, and then closes with closeCore', async () => {
    const connection = new AtOnceConnection();
    connection.atOnce = undefined;
    await connection.open();
    expect(connection.database).toBe('own');
    await connection.close();
    expect(connection.calls).toEqual(['openAtOnce shop', 'openCore', 'closeCore false']);
  });
});
