import { DbTimeoutError } from '../errors/errors.js';
import type { CoreAbortReason } from '../providers/provider-spi.js';
import type { PoolWaiter } from './pool-waiter-queue.js';
import type { PooledSession } from './pooled-session.js';
import { POOL_TIMEOUT_MESSAGE, type SessionPool } from './session-pool.js';

/**
 * Takes a session from one host's pool for a multi-host open (core takes from a direct pool itself; a provider's multi-host open calls this): an idle one at
 * once, else a waiter the pool grants. The open's `signal` carries the deadline (`Connect Timeout` is the budget of
 * the whole host list, so the waiter has none of its own): a timeout while every slot of the pool is taken by a
 * session that exists is a pool timeout (`DbTimeoutError` of kind 'pool'); any other abort rejects plainly and core
 * reports it (connect timeout, cancel, close).
 */
export function takePooledSession<S extends PooledSession>(
  pool: SessionPool<S>,
  signal: AbortSignal,
  providerName: string,
): Promise<S> {
  if (signal.aborted) return Promise.reject(new Error('The open was aborted.'));
  const idle = pool.tryTake();
  if (idle !== undefined) return Promise.resolve(idle);
  return new Promise<S>((resolve, reject) => {
    let done = false;
    const waiter: PoolWaiter<S> = {
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
        reject(new DbTimeoutError(POOL_TIMEOUT_MESSAGE, 'pool', { providerName }));
      } else reject(new Error('The open was aborted.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pool.wait(waiter);
  });
}
