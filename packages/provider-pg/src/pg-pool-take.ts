import {
  DbTimeoutError,
  POOL_TIMEOUT_MESSAGE,
  type CoreAbortReason,
  type PoolWaiter,
  type SessionPool,
} from '@asyncdb/core';
import type { PgPooledSession } from './pg-pooled-session.js';

/**
 * Takes a session from one host's pool for a multi-host open (core takes from a direct pool itself): an idle one at
 * once, else a waiter the pool grants. The open's `signal` carries the deadline (`Connect Timeout` is the budget of
 * the whole host list, so the waiter has none of its own): a timeout while every slot of the pool is taken by a
 * session that exists is a pool timeout (`DbTimeoutError` of kind 'pool'); any other abort rejects plainly and core
 * reports it (connect timeout, cancel, close).
 */
export function takePooledSession(pool: SessionPool<PgPooledSession>, signal: AbortSignal): Promise<PgPooledSession> {
  if (signal.aborted) return Promise.reject(new Error('The open was aborted.'));
  const idle = pool.tryTake();
  if (idle !== undefined) return Promise.resolve(idle);
  return new Promise<PgPooledSession>((resolve, reject) => {
    let done = false;
    const waiter: PoolWaiter<PgPooledSession> = {
      deadline: Infinity,
      grant: (session) => {
        if (done) {
          void pool.release(session, false);
          return;
        }
        done = true;
        signal.removeEventListener('abort', onAbort);
        resolve(session);
      },
      fail: (error) => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    };
    const onAbort = (): void => {
      if (done) return;
      done = true;
      pool.withdraw(waiter);
      const { creating, total } = pool.counts;
      const exhausted = creating === 0 && total >= pool.settings.maxSize;
      if ((signal.reason as CoreAbortReason | undefined)?.kind === 'timeout' && exhausted) {
        reject(new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName: 'pg' }));
      } else reject(new Error('The open was aborted.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pool.wait(waiter);
  });
}
