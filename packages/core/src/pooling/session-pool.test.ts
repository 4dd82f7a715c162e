import { createHook } from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionState } from '../contracts/connection-state.js';
import { DbError, DbTimeoutError, InvalidOperationError, OperationCanceledError } from '../errors/errors.js';
import { TRACING_CHANNEL_NAMES } from '../diagnostics/tracing-channels.js';
import { MemoryPooledProviderFactory, type MemoryPooledConnection } from '../testing/memory-pooled-provider.js';
import { rejectionOf, turns } from '../testing/test-support.js';
import { PoolWaiterQueue, type PoolWaiter } from './pool-waiter-queue.js';

let factory = new MemoryPooledProviderFactory();

/** Counts the timers (Node's `Timeout` resources) created while `action` runs, whoever creates them. */
async function timersCreatedBy(action: () => Promise<void>): Promise<number> {
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'Timeout') timers += 1;
    },
  });
  hook.enable();
  try {
    await action();
  } finally {
    hook.disable();
  }
  return timers;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await factory.clearAllPools();
  factory = new MemoryPooledProviderFactory();
});

async function open(connectionString: string, signal?: AbortSignal): Promise<MemoryPooledConnection> {
  const connection = factory.createConnection(connectionString);
  await connection.open({ signal });
  return connection;
}

describe("core's pool: synchronous hand-over", () => {
  it('gives the session a close() returned to the next open, and returns it before close() resolves', async () => {
    const first = await open('Database=a');
    const session = first.fakeSession!;
    const closing = first.close();
    // Already back, synchronously: no promise hop between close() and the idle stack.
    expect(factory.poolOf('Database=a').counts).toMatchObject({ idle: 1, busy: 0 });
    expect(first.state).toBe(ConnectionState.Closed);
    await closing;
    const second = await open('Database=a');
    expect(second.fakeSession).toBe(session);
    expect(session.resets).toBe(1);
    expect(second.sessionId).toBe(session.id);
    await second.close();
  });

  it('takes an idle session with no timer, no AbortController and no abort listener', async () => {
    await (await open('Database=a')).close();
    const controllers = vi.spyOn(AbortSignal.prototype, 'addEventListener');
    const connection = factory.createConnection('Database=a');
    const states: string[] = [];
    connection.on('stateChange', (event) => states.push(`${event.originalState}→${event.currentState}`));
    const timers = await timersCreatedBy(async () => {
      const opening = connection.open();
      // Open before open() even resolved: the hand-over happened inside the call.
      expect(connection.state).toBe(ConnectionState.Open);
      await opening;
      await connection.close();
    });
    expect(timers).toBe(0);
    expect(controllers).not.toHaveBeenCalled();
    expect(states).toEqual(['Closed→Connecting', 'Connecting→Open', 'Open→Closed']);
  });

  it('a pooled open and close of a clean session create no promise and no timer (issue 12 item 4)', async () => {
    await (await open('Database=a')).close();
    const connection = factory.createConnection('Database=a');
    let promises = 0;
    let timers = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises += 1;
        else if (type === 'Timeout') timers += 1;
      },
    });
    hook.enable();
    let opening: Promise<void>;
    let closing: Promise<void>;
    try {
      opening = connection.open();
      closing = connection.close();
    } finally {
      hook.disable();
    }
    expect({ promises, timers }).toEqual({ promises: 0, timers: 0 });
    await opening;
    await closing;
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(factory.poolOf('Database=a').counts).toMatchObject({ idle: 1, busy: 0 });
  });

  it('waits for an asynchronous reset before close() resolves and before the session is reused', async () => {
    const first = await open('Database=a;Max Pool Size=1');
    const session = first.fakeSession!;
    let finishReset!: () => void;
    session.asyncReset = () => new Promise<void>((resolve) => (finishReset = resolve));
    let closed = false;
    const closing = first.close().then(() => (closed = true));
    const next = open('Database=a;Max Pool Size=1');
    await turns();
    expect(closed).toBe(false);
    expect(factory.poolOf('Database=a;Max Pool Size=1').counts).toMatchObject({ busy: 1, pending: 1 });
    session.asyncReset = undefined;
    finishReset();
    await closing;
    expect((await next).fakeSession).toBe(session);
    await (await next).close();
  });

  it('with closeWaitsForReset false, close() resolves during the reset and the session rejoins the pool after it', async () => {
    const first = await open('Database=a;Max Pool Size=1');
    const session = first.fakeSession!;
    let finishReset!: () => void;
    session.asyncReset = () => new Promise<void>((resolve) => (finishReset = resolve));
    session.waitsForReset = false;
    await first.close();
    // close() is done, but the session is not idle before its reset is: the next open waits for it.
    expect(factory.poolOf('Database=a;Max Pool Size=1').counts).toMatchObject({ idle: 0, busy: 1 });
    const next = open('Database=a;Max Pool Size=1');
    await turns();
    expect(factory.poolOf('Database=a;Max Pool Size=1').counts).toMatchObject({ busy: 1, pending: 1 });
    session.asyncReset = undefined;
    finishReset();
    expect((await next).fakeSession).toBe(session);
    await (await next).close();
  });

  it('destroys a session whose reset failed, and opens another', async () => {
    const first = await open('Database=a');
    const session = first.fakeSession!;
    session.asyncReset = () => Promise.reject(new Error('reset failed'));
    await first.close();
    expect(session.destroyed).toBe(true);
    const second = await open('Database=a');
    expect(second.fakeSession).not.toBe(session);
    await second.close();
  });
});

describe("core's pool: waiters", () => {
  it('grants waiters in the order they came, as sessions are returned', async () => {
    const cs = 'Database=a;Max Pool Size=1';
    const holder = await open(cs);
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      open(cs).then(async (connection) => {
        order.push(n);
        await turns();
        await connection.close();
      }),
    );
    await turns();
    expect(factory.poolOf(cs).counts).toMatchObject({ busy: 1, pending: 3, total: 1 });
    await holder.close();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(factory.sessions).toHaveLength(1);
  });

  it('a waiting open costs one promise (its own), and the grant attaches the session inside the close() that returned it', async () => {
    const cs = 'Database=a;Max Pool Size=1';
    const holder = await open(cs);
    const session = holder.fakeSession;
    const connection = factory.createConnection(cs);
    let promises = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'PROMISE') promises += 1;
      },
    });
    hook.enable();
    let opening: Promise<void>;
    try {
      opening = connection.open();
    } finally {
      hook.disable();
    }
    // Was five by the time open() returned (async frame, await, finally, catch), then two (the waiter's promise and
    // one chained on it for the hand-over): 100 callers on a pool of 10 wait on nearly every open.
    expect(promises).toBe(1);
    expect(connection.state).toBe(ConnectionState.Connecting);
    const closing = holder.close();
    // Granted and attached before close() returned: no promise hop between the pool and the waiting open.
    expect(connection.state).toBe(ConnectionState.Open);
    expect(connection.fakeSession).toBe(session);
    await closing;
    await opening;
    await connection.close();
  });

  it('attaches a granted session one microtask later when the waiting connection has stateChange listeners', async () => {
    const cs = 'Database=a;Max Pool Size=1';
    const holder = await open(cs);
    const session = holder.fakeSession;
    const connection = factory.createConnection(cs);
    const states: string[] = [];
    connection.on('stateChange', (event) => states.push(`${event.originalState}>${event.currentState}`));
    const opening = connection.open();
    void holder.close();
    // The listener (user code) must not run inside the holder's close(): the attach waits for a microtask.
    expect(states).toEqual(['Closed>Connecting']);
    expect(connection.state).toBe(ConnectionState.Connecting);
    // A close() in that window waits for the open and gives the session back to the pool.
    const closed = connection.close();
    await opening;
    await closed;
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(states).toEqual(['Closed>Connecting', 'Connecting>Open', 'Open>Closed']);
    const next = await open(cs);
    expect(next.fakeSession).toBe(session);
    await next.close();
  });

  it('arms one timer for any number of waiters', async () => {
    const cs = 'Database=a;Max Pool Size=1;Connect Timeout=30';
    let holder!: MemoryPooledConnection;
    let waiting: Array<Promise<MemoryPooledConnection>> = [];
    const timers = await timersCreatedBy(async () => {
      holder = await open(cs);
      waiting = Array.from({ length: 50 }, () => open(cs));
      await new Promise((resolve) => setImmediate(resolve));
    });
    expect(factory.poolOf(cs).counts.pending).toBe(50);
    // The connect deadline of the one session created, and the waiters' deadline timer: none per waiter.
    expect(timers).toBe(2);
    await holder.close();
    for (const opening of waiting) await (await opening).close();
  });

  // Issue 13 item 9: a burst of opens on a warm pool respects the pool wait and the caller's signal.
  it('a burst on a warm pool: the opens that must wait fail at Connect Timeout as pool timeouts, an aborted one at once', async () => {
    const cs = 'Database=a;Max Pool Size=2;Connect Timeout=1';
    const warm = await Promise.all([open(cs), open(cs)]);
    await Promise.all(warm.map((connection) => connection.close()));
    expect(factory.poolOf(cs).counts).toMatchObject({ idle: 2, total: 2 });

    const started = Date.now();
    const controller = new AbortController();
    const elapsed = (promise: Promise<unknown>): Promise<[unknown, number]> =>
      promise.then(
        (value) => [value, Date.now() - started],
        (error: unknown) => [error, Date.now() - started],
      );
    const burst = [open(cs), open(cs), open(cs), open(cs, controller.signal)].map(elapsed);
    setTimeout(() => controller.abort('enough'), 100);
    const [first, second, third, aborted] = (await Promise.all(burst)) as [
      [unknown, number],
      [unknown, number],
      [unknown, number],
      [unknown, number],
    ];
    expect(first[0]).toHaveProperty('state', ConnectionState.Open);
    expect(second[0]).toHaveProperty('state', ConnectionState.Open);
    expect(third[0]).toBeInstanceOf(DbTimeoutError);
    expect((third[0] as DbTimeoutError).kind).toBe('pool');
    expect(third[1]).toBeGreaterThanOrEqual(950);
    expect(third[1]).toBeLessThan(1_900);
    expect(aborted[0]).toBeInstanceOf(OperationCanceledError);
    expect((aborted[0] as OperationCanceledError).reason).toBe('enough');
    expect(aborted[1]).toBeLessThan(900);
    expect(factory.poolOf(cs).counts).toMatchObject({ pending: 0, total: 2 });
    await (first[0] as MemoryPooledConnection).close();
    await (second[0] as MemoryPooledConnection).close();
  });

  it("times out a connect that takes longer than Connect Timeout with kind 'connect'", async () => {
    const error = await rejectionOf(open('Database=a;Open Delay=5000;Connect Timeout=1'));
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('connect');
  });

  it("gives a failed connect's error to the open that waited for it", async () => {
    const connection = factory.createConnection('Database=a;Fail Open=true');
    const error = await rejectionOf(connection.open());
    expect(error).toBeInstanceOf(DbError);
    expect((error as DbError).message).toContain('password authentication failed');
    expect(connection.state).toBe(ConnectionState.Closed);
  });

  it('withdraws the waiter of a connection closed while it waits, and keeps the session for the next', async () => {
    const cs = 'Database=a;Max Pool Size=1';
    const holder = await open(cs);
    const waiting = factory.createConnection(cs);
    const outcome = rejectionOf(waiting.open());
    await turns();
    await waiting.close();
    expect(await outcome).toBeInstanceOf(OperationCanceledError);
    expect(waiting.state).toBe(ConnectionState.Closed);
    expect(factory.poolOf(cs).counts.pending).toBe(0);
    await holder.close();
    expect(factory.poolOf(cs).counts.idle).toBe(1);
  });

  it('a session created for an open that gave up goes idle for the next one', async () => {
    const cs = 'Database=a;Open Delay=50';
    const controller = new AbortController();
    const opening = rejectionOf(open(cs, controller.signal));
    await turns();
    controller.abort();
    expect(await opening).toBeInstanceOf(OperationCanceledError);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(factory.poolOf(cs).counts).toMatchObject({ idle: 1, total: 1 });
  });
});

describe("core's pool: dead sessions", () => {
  it('never hands out an idle session whose socket ended (checked on hand-out)', async () => {
    const first = await open('Database=a');
    const session = first.fakeSession!;
    await first.close();
    session.kill({ notify: false });
    const second = await open('Database=a');
    expect(second.fakeSession).not.toBe(session);
    expect(session.destroyed).toBe(true);
    await second.close();
  });

  it('evicts an idle session as soon as its listener reports it lost', async () => {
    const first = await open('Database=a');
    const session = first.fakeSession!;
    await first.close();
    session.kill();
    expect(session.destroyed).toBe(true);
    expect(factory.poolOf('Database=a').counts).toMatchObject({ idle: 0, total: 0 });
  });

  it('destroys a session lost while in use when it is returned, and marks the connection Broken', async () => {
    const connection = await open('Database=a');
    const session = connection.fakeSession!;
    session.kill();
    expect(connection.state).toBe(ConnectionState.Broken);
    await connection.close();
    expect(session.destroyed).toBe(true);
    expect(factory.poolOf('Database=a').counts.total).toBe(0);
  });
});

describe("core's pool: limits and clearing", () => {
  it('never opens more than Max Pool Size sessions', async () => {
    const cs = 'Database=a;Max Pool Size=3;Open Delay=5';
    const connections = await Promise.all(Array.from({ length: 3 }, () => open(cs)));
    const more = Array.from({ length: 5 }, () => open(cs));
    await turns();
    expect(factory.poolOf(cs).counts).toMatchObject({ total: 3, pending: 5 });
    for (const connection of connections) await connection.close();
    for (const opening of more) await (await opening).close();
    expect(factory.sessions).toHaveLength(3);
  });

  it('keeps Min Pool Size sessions open, created in the background', async () => {
    const cs = 'Database=a;Min Pool Size=3';
    const connection = await open(cs);
    await turns();
    expect(factory.poolOf(cs).counts.total).toBe(3);
    await connection.close();
    expect(factory.poolOf(cs).counts).toMatchObject({ idle: 3, total: 3 });
  });

  it('refuses Min Pool Size above Max Pool Size', async () => {
    const error = await rejectionOf(factory.createConnection('Database=a;Min Pool Size=5;Max Pool Size=2').open());
    expect((error as Error).message).toMatch(/min pool size cannot be greater than the max pool size/);
  });

  it('clearPool destroys idle sessions now and sessions in use when they come back', async () => {
    const cs = 'Database=a';
    const idle = await open(cs);
    const busy = await open(cs);
    const idleSession = idle.fakeSession!;
    const busySession = busy.fakeSession!;
    await idle.close();
    await factory.clearPool(cs);
    expect(idleSession.destroyed).toBe(true);
    expect(busySession.destroyed).toBe(false);
    await busy.close();
    expect(busySession.destroyed).toBe(true);
    const next = await open(cs);
    expect([idleSession, busySession]).not.toContain(next.fakeSession);
    await next.close();
  });

  it('closes a session older than Connection Lifetime when it is returned', async () => {
    const cs = 'Database=a;Connection Lifetime=1';
    const connection = await open(cs);
    const session = connection.fakeSession!;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await connection.close();
    expect(session.destroyed).toBe(true);
  });

  it('closes idle sessions above Min Pool Size after Connection Idle Lifetime', async () => {
    const cs = 'Database=a;Connection Idle Lifetime=1;Min Pool Size=1';
    const connections = await Promise.all([open(cs), open(cs), open(cs)]);
    for (const connection of connections) await connection.close();
    expect(factory.poolOf(cs).counts.idle).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2_300));
    expect(factory.poolOf(cs).counts).toMatchObject({ idle: 1, total: 1 });
  });

  it('opens a provider session of its own with Pooling=false (openCore/closeCore)', async () => {
    const connection = await open('Database=a;Pooling=false');
    expect(connection.fakeSession).toBeUndefined();
    expect(factory.server.openSessions).toBe(1);
    await connection.close();
    expect(factory.server.openSessions).toBe(0);
    expect(factory.pools.size).toBe(0);
  });
});

describe("core's pool: registry for multi-host data sources", () => {
  it('keys a pool by data source and host; clear clears every host of the data source', async () => {
    const builder = factory.createConnectionStringBuilder('Database=a');
    const h1 = factory.pools.poolFor('ds', builder, 'h1');
    const h2 = factory.pools.poolFor('ds', builder, 'h2');
    expect(h1).not.toBe(h2);
    expect(factory.pools.poolFor('ds', builder, 'h1')).toBe(h1);
    expect(factory.pools.poolsOf('ds')).toEqual([h1, h2]);
    const sessions = [h1.tryTake(), h2.tryTake()];
    expect(sessions).toEqual([undefined, undefined]);
    const granted: unknown[] = [];
    const waiter = (): PoolWaiter<unknown> => ({ deadline: Infinity, grant: (s) => granted.push(s), fail: () => {} });
    h1.wait(waiter());
    h2.wait(waiter());
    await turns();
    expect(granted).toHaveLength(2);
    expect(h1.host).toBe('h1');
    factory.pools.clear('ds');
    expect(h1.counts.total + h2.counts.total).toBe(2);
    for (const session of granted) void (session === undefined ? 0 : h1.release(session as never, false));
  });
});

describe('PoolWaiterQueue', () => {
  it('expires waiters at their deadline with one timer, re-armed for the next deadline', async () => {
    const expired: number[] = [];
    const queue = new PoolWaiterQueue<number>((waiter) => expired.push(waiter.deadline));
    const now = Date.now();
    const waiter = (deadline: number): PoolWaiter<number> => ({ deadline, grant: () => {}, fail: () => {} });
    queue.push(waiter(now + 40));
    queue.push(waiter(now + 80));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(expired).toEqual([now + 40]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(expired).toEqual([now + 40, now + 80]);
    expect(queue.length).toBe(0);
  });
});

describe('DbConnection.close with core pool', () => {
  // Issue 13 item 16.
  it('leaves Open as soon as close() starts: a Begin after an un-awaited close() throws synchronously', async () => {
    const connection = await open('Database=a;Asynchronous Processing=true');
    const command = connection.createCommand('DELAY 2000');
    const pending = command.beginExecuteNonQuery();
    const closing = connection.close();
    expect(connection.state).toBe(ConnectionState.Closed);
    expect(() => connection.createCommand('VALUES 1').beginExecuteNonQuery()).toThrow(InvalidOperationError);
    await closing;
    expect(await rejectionOf(command.endExecuteNonQuery(pending))).toBeInstanceOf(InvalidOperationError);
    expect(pending.status).toBe('canceled');
  });

  it('publishes the open events when someone subscribes, with the same attributes', async () => {
    await (await open('Database=a')).close();
    const events: Array<Record<string, unknown>> = [];
    const channel = diagnosticsChannel.tracingChannel(TRACING_CHANNEL_NAMES.connectionOpen);
    const subscribers = {
      start: (context: unknown) => events.push({ ...(context as object), event: 'start' }),
      end: () => {},
      asyncStart: (context: unknown) => events.push({ ...(context as object), event: 'asyncStart' }),
      asyncEnd: () => {},
      error: () => {},
    };
    channel.subscribe(subscribers);
    try {
      const connection = await open('Database=a');
      await connection.close();
    } finally {
      channel.unsubscribe(subscribers);
    }
    expect(events.map((event) => event['event'])).toEqual(['start', 'asyncStart']);
    expect(events[0]).toMatchObject({ 'db.system': 'other_sql', 'db.operation.name': 'open', 'asyncdb.provider': 'memory' });
  });
});
