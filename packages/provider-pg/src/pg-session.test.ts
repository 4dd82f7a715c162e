import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelRequestPacket } from './pg-cancel-request.js';
import { PgSession } from './pg-session.js';
import { FakeClient, FakePostmaster, settle } from './testing/fake-pg.js';

let postmaster: FakePostmaster;
let client: FakeClient;
let session: PgSession;
const lost: Error[] = [];
const notices: unknown[] = [];
const returned: boolean[] = [];

beforeEach(async () => {
  postmaster = await FakePostmaster.start();
  client = new FakeClient(postmaster.port);
  lost.length = 0;
  notices.length = 0;
  returned.length = 0;
  session = new PgSession(
    client.asClient(),
    { onLost: (error) => lost.push(error), onNotice: (notice) => notices.push(notice) },
    async (destroy) => {
      returned.push(destroy);
    },
  );
});

afterEach(async () => {
  await postmaster.stop();
});

describe('PgSession cancellation guard', () => {
  it('sends no CancelRequest when the server is not working on anything', async () => {
    const turn = await session.beginTurn();
    session.cancel(turn);
    await session.settleCancels();
    expect(postmaster.packets).toHaveLength(0);
  });

  it('sends no CancelRequest while a portal is suspended (the backend is idle between fetches)', async () => {
    const turn = await session.beginTurn();
    turn.write('execute', (wire) => wire.execute({ rows: 10 }));
    client.rows(10);
    client.suspended();
    session.cancel(turn);
    await session.settleCancels();
    expect(postmaster.packets).toHaveLength(0);
  });

  it('sends the backend key in a CancelRequest while an Execute is running', async () => {
    const turn = await session.beginTurn();
    turn.write('execute', (wire) => wire.execute({}));
    session.cancel(turn);
    await postmaster.waitForPackets(1);
    expect(postmaster.packets[0]).toEqual(cancelRequestPacket(4242, 77));
    client.error('57014', 'canceling statement due to user request');
    await session.settleCancels();
  });

  it('holds back the next turn until the server has acknowledged the CancelRequest', async () => {
    postmaster.holdSockets = true;
    const turn = await session.beginTurn();
    turn.write('execute', (wire) => wire.execute({}));
    session.cancel(turn);
    await postmaster.waitForPackets(1);
    client.error('57014', 'canceling statement due to user request');
    turn.write('sync', (wire) => wire.sync());
    client.ready();
    let started = false;
    const next = session.beginTurn().then((nextTurn) => {
      started = true;
      return nextTurn;
    });
    await settle(20);
    expect(started).toBe(false);
    postmaster.release();
    await next;
    expect(started).toBe(true);
  });

  it('repeats the CancelRequest while the statement keeps running, and stops once it ends', async () => {
    const turn = await session.beginTurn();
    turn.write('execute', (wire) => wire.execute({}));
    session.cancel(turn);
    await postmaster.waitForPackets(2);
    client.error('57014', 'canceling statement due to user request');
    await session.settleCancels();
    expect(postmaster.packets.length).toBeLessThanOrEqual(3);
  });
});

describe('PgSession lifecycle', () => {
  it('reports a connection that dies and fails the running turn', async () => {
    const turn = await session.beginTurn();
    client.emit('error', new Error('read ECONNRESET'));
    expect(lost).toHaveLength(1);
    expect(turn.lost).toBe(true);
    expect(session.unusable).toBe(true);
    await expect(session.beginTurn()).rejects.toThrow('ECONNRESET');
  });

  it('forwards notices while in use, and stops listening once disposed', async () => {
    client.emit('notice', { message: 'hello' });
    await session.dispose(false);
    client.emit('notice', { message: 'late' });
    client.emit('end');
    expect(notices).toEqual([{ message: 'hello' }]);
    expect(lost).toHaveLength(0);
    expect(client.listenerCount('error')).toBe(0);
    expect(returned).toEqual([false]);
  });

  it('destroys instead of pooling a session marked unusable', async () => {
    session.markUnusable();
    await session.dispose(false);
    expect(returned).toEqual([true]);
  });
});

describe('PgSession on a client that refuses queries', () => {
  it('fails the turn at once instead of waiting for a start that never comes', async () => {
    client.query = (submittable) => {
      process.nextTick(() =>
        submittable.handleError(
          new Error('Client has encountered a connection error and is not queryable'),
          client.connection,
        ),
      );
    };
    await expect(session.beginTurn()).rejects.toThrow('not queryable');
  });
});
