import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { TRACING_CHANNEL_NAMES, type DbTraceContext } from './tracing-channels.js';
import { DbError } from '../errors/errors.js';
import type { MemoryConnection } from '../testing/memory-provider.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { openConnection, rejectionOf } from '../testing/test-support.js';

interface Event {
  readonly name: 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
  readonly context: DbTraceContext;
}

const subscriptions: Array<() => void> = [];
const connections: MemoryConnection[] = [];

/** Subscribes to a tracing channel and records its events. */
function record(channelName: string): Event[] {
  const events: Event[] = [];
  const channel = diagnosticsChannel.tracingChannel<unknown, DbTraceContext>(channelName);
  const handlers = {
    start: (context: DbTraceContext) => events.push({ name: 'start', context: { ...context } }),
    end: (context: DbTraceContext) => events.push({ name: 'end', context: { ...context } }),
    asyncStart: (context: DbTraceContext) => events.push({ name: 'asyncStart', context: { ...context } }),
    asyncEnd: (context: DbTraceContext) => events.push({ name: 'asyncEnd', context: { ...context } }),
    error: (context: DbTraceContext) => events.push({ name: 'error', context: { ...context } }),
  };
  channel.subscribe(handlers);
  subscriptions.push(() => channel.unsubscribe(handlers));
  return events;
}

async function open(connectionString = 'Database=shop;async=true') {
  const opened = await openConnection(connectionString);
  connections.push(opened.connection);
  return opened;
}

/** Everything a subscriber could read from the events, as text. */
function visibleText(events: readonly Event[]): string {
  return JSON.stringify(events, (_, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}

afterEach(async () => {
  for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
  for (const connection of connections.splice(0)) await connection.close();
});

describe('asyncdb:command', () => {
  it('publishes start and asyncEnd with the OpenTelemetry database attributes', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.command);
    expect(await connection.createCommand('UPDATE 3').executeNonQuery()).toBe(3);
    expect(events.map((event) => event.name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const start = events[0]!.context;
    expect(start).toMatchObject({
      'db.system': 'other_sql',
      'db.namespace': 'shop',
      'db.query.text': 'UPDATE 3',
      'db.operation.name': 'executeNonQuery',
      'server.address': 'memory',
      'asyncdb.provider': 'memory',
    });
    expect(events[3]!.context.result).toBe(3);
  });

  it('never publishes parameter values', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.command);
    const command = connection.createCommand('PARAMS @password, @card');
    command.parameters.addWithValue('@password', 'hunter2-secret');
    command.parameters.addWithValue('@card', 4111111111111111n);
    await command.executeNonQuery();
    const reader = await command.executeReader();
    await reader.close();
    expect(events.filter((event) => event.name === 'start')).toHaveLength(2);
    expect(events[0]!.context['db.query.text']).toBe('PARAMS @password, @card');
    const text = visibleText(events);
    expect(text).not.toContain('hunter2-secret');
    expect(text).not.toContain('4111111111111111');
  });

  it('publishes error with the failure', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.command);
    await rejectionOf(connection.createCommand('FAIL broken').executeScalar());
    const error = events.find((event) => event.name === 'error');
    expect(error?.context.error).toBeInstanceOf(DbError);
    expect(error?.context['db.operation.name']).toBe('executeScalar');
  });

  it('traces the Begin/End surface too', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.command);
    const command = connection.createCommand('UPDATE 1');
    await command.endExecuteNonQuery(command.beginExecuteNonQuery());
    expect(events.map((event) => event.name)).toContain('asyncEnd');
    expect(events[0]!.context['db.operation.name']).toBe('beginExecuteNonQuery');
  });

  it('publishes nothing after the subscriber left', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.command);
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
    await connection.createCommand('UPDATE 1').executeNonQuery();
    expect(events).toEqual([]);
  });
});

describe('asyncdb:connection:open', () => {
  it('publishes start and asyncEnd for open', async () => {
    const events = record(TRACING_CHANNEL_NAMES.connectionOpen);
    await open();
    expect(events.map((event) => event.name)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(events[0]!.context).toMatchObject({
      'db.system': 'other_sql',
      'db.operation.name': 'open',
      'asyncdb.provider': 'memory',
    });
  });

  it('publishes error when the open fails, without the password', async () => {
    const events = record(TRACING_CHANNEL_NAMES.connectionOpen);
    const connection = new MemoryProviderFactory().createConnection('Database=x;Password=pa55word;Fail Open=true');
    await rejectionOf(connection.open());
    expect(events.map((event) => event.name)).toContain('error');
    expect(visibleText(events)).not.toContain('pa55word');
  });

  it('never carries the namespace of a previous session', async () => {
    const { connection } = await open('Database=first');
    await connection.changeDatabase('elsewhere');
    await connection.close();
    const events = record(TRACING_CHANNEL_NAMES.connectionOpen);
    await connection.open();
    expect(events[0]!.context['db.namespace']).not.toBe('elsewhere');
  });
});

describe('asyncdb:transaction', () => {
  it('publishes begin, savepoints and commit with their operation names', async () => {
    const { connection } = await open();
    const events = record(TRACING_CHANNEL_NAMES.transaction);
    const transaction = await connection.beginTransaction();
    await transaction.save('sp1');
    await transaction.commit();
    const starts = events.filter((event) => event.name === 'start').map((event) => event.context);
    expect(starts.map((context) => context['db.operation.name'])).toEqual(['begin', 'save', 'commit']);
    expect(starts[0]).toMatchObject({ 'db.system': 'other_sql', 'db.namespace': 'shop', 'asyncdb.provider': 'memory' });
    expect(events.filter((event) => event.name === 'asyncEnd')).toHaveLength(3);
  });
});

describe('published results', () => {
  it('never publishes a query result, only row counts', async () => {
    const results: unknown[] = [];
    const handlers = {
      start() {},
      end() {},
      asyncStart() {},
      asyncEnd(context: unknown) {
        results.push((context as { result?: unknown }).result);
      },
      error() {},
    };
    const channel = diagnosticsChannel.tracingChannel('asyncdb:command');
    channel.subscribe(handlers);
    try {
      const factory = new MemoryProviderFactory();
      const connection = factory.createConnection('Database=x');
      await connection.open();
      await connection.createCommand('VALUES [["secret value"]]').executeScalar();
      await connection.createCommand('UPDATE 4').executeNonQuery();
      await connection.close();
    } finally {
      channel.unsubscribe(handlers);
    }
    expect(results).toEqual([undefined, 4]);
  });
});

describe('nobody subscribed (issue 12, item 7)', () => {
  it('builds no trace context for opens, commands, Begin/End, transactions and batches', async () => {
    const factory = new MemoryProviderFactory();
    // Every trace context reads the factory's dbSystem first: counting the reads counts the contexts built.
    let contextsBuilt = 0;
    Object.defineProperty(factory, 'dbSystem', {
      get: () => {
        contextsBuilt += 1;
        return 'other_sql';
      },
    });
    const connection = factory.createConnection('Database=shop;async=true');
    connections.push(connection);
    const exercise = async (): Promise<void> => {
      await connection.open();
      expect(await connection.createCommand('UPDATE 2').executeNonQuery()).toBe(2);
      expect(await connection.createCommand('ROWS 1').executeScalar()).toBe(1);
      const reader = await connection.createCommand('ROWS 2').executeReader();
      await reader.close();
      const command = connection.createCommand('UPDATE 1');
      expect(await command.endExecuteNonQuery(command.beginExecuteNonQuery())).toBe(1);
      const transaction = await connection.beginTransaction();
      await transaction.commit();
      const batch = connection.createBatch();
      batch.batchCommands.add(batch.createBatchCommand()).commandText = 'UPDATE 1';
      expect(await batch.executeNonQuery()).toBe(1);
      await connection.close();
    };
    await exercise();
    expect(contextsBuilt).toBe(0);
    // The same work traced builds a context per operation, so the count above does measure something.
    record(TRACING_CHANNEL_NAMES.command);
    record(TRACING_CHANNEL_NAMES.connectionOpen);
    record(TRACING_CHANNEL_NAMES.transaction);
    await exercise();
    expect(contextsBuilt).toBeGreaterThanOrEqual(8);
  });
});
