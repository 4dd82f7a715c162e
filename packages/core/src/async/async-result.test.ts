import { describe, expect, it } from 'vitest';
import { asyncResultInternals, createAsyncResult, type DbAsyncResult, type IAsyncResult } from './async-result.js';
import { Deferred } from './deferred.js';
import { WaitHandle } from './wait-handle.js';
import { DbError, OperationCanceledError } from '../errors/errors.js';
import { recordProcessEvents, turns } from '../testing/test-support.js';

/** A result over an operation the test settles by hand. */
function controlled<T>(options: { callback?: (result: IAsyncResult) => void; state?: unknown } = {}) {
  const operation = new Deferred<T>();
  let aborts = 0;
  const result = createAsyncResult<T>({
    owner: {},
    endMethod: 'endExecuteNonQuery',
    state: options.state,
    callback: options.callback,
    operation: operation.promise,
    abort: () => {
      aborts += 1;
    },
  });
  return { result, operation, aborts: () => aborts };
}

describe('DbAsyncResult', () => {
  it('starts running: not completed, never completed synchronously, with a WaitHandle and the state', () => {
    const state = { id: 1 };
    const { result } = controlled({ state });
    expect(result.status).toBe('running');
    expect(result.isCompleted).toBe(false);
    expect(result.completedSynchronously).toBe(false);
    expect(result.asyncWaitHandle).toBeInstanceOf(WaitHandle);
    expect(result.asyncWaitHandle.isSignaled).toBe(false);
    expect(result.asyncState).toBe(state);
  });

  it("completes with the operation's value: status 'completed', handle set", async () => {
    const { result, operation } = controlled<number>();
    operation.resolve(3);
    expect(await asyncResultInternals(result).outcome).toBe(3);
    expect(result.status).toBe('completed');
    expect(result.isCompleted).toBe(true);
    expect(result.asyncWaitHandle.isSignaled).toBe(true);
  });

  it('gives End one view of a result, whatever the number of look-ups, with ended read live', () => {
    // End checks a result, then asks whether the checks passed: both look-ups see the one object, made once.
    const { result } = controlled();
    const internals = asyncResultInternals(result);
    expect(asyncResultInternals(result)).toBe(internals);
    expect(internals.ended).toBe(false);
    expect(internals.markEnded()).toBe(true);
    expect(internals.ended).toBe(true);
    expect(internals.markEnded()).toBe(false);
  });

  it("faults with the operation's error: status 'faulted'", async () => {
    const { result, operation } = controlled();
    const error = new DbError('boom');
    operation.reject(error);
    await expect(asyncResultInternals(result).outcome).rejects.toBe(error);
    expect(result.status).toBe('faulted');
    expect(result.isCompleted).toBe(true);
  });

  it("is 'canceled' when the operation rejects with OperationCanceledError", async () => {
    const { result, operation } = controlled();
    operation.reject(new OperationCanceledError());
    await result.waitForCompletion();
    expect(result.status).toBe('canceled');
  });

  it('invokes the callback once, on a later turn, even for an operation that had already settled', async () => {
    let returned = false;
    const calls: Array<{ result: IAsyncResult; afterReturn: boolean }> = [];
    const result = createAsyncResult({
      owner: {},
      endMethod: 'endExecuteScalar',
      state: undefined,
      callback: (ar) => calls.push({ result: ar, afterReturn: returned }),
      operation: Promise.resolve(1),
      abort: () => {},
    });
    returned = true;
    expect(calls).toEqual([]);
    await turns(5);
    expect(calls).toEqual([{ result, afterReturn: true }]);
  });

  it('invokes the callback after completion is visible', async () => {
    let seen: { completed: boolean; status: string } | undefined;
    const { operation } = controlled({
      callback: (ar) => {
        seen = { completed: ar.isCompleted, status: (ar as DbAsyncResult).status };
      },
    });
    await turns();
    expect(seen).toBeUndefined();
    operation.reject(new DbError('x'));
    await turns(5);
    expect(seen).toEqual({ completed: true, status: 'faulted' });
  });

  it('abort() calls the abort action only while running', async () => {
    const { result, operation, aborts } = controlled();
    result.abort();
    expect(aborts()).toBe(1);
    operation.resolve(undefined);
    await result.waitForCompletion();
    result.abort();
    expect(aborts()).toBe(1);
  });

  it('waitForCompletion(timeout) resolves false while running, true once completed, and can be repeated', async () => {
    const { result, operation } = controlled();
    expect(await result.waitForCompletion(0)).toBe(false);
    expect(await result.waitForCompletion(10)).toBe(false);
    operation.resolve(undefined);
    expect(await result.waitForCompletion()).toBe(true);
    expect(await result.waitForCompletion(0)).toBe(true);
  });

  it('a rejected operation nobody looks at produces no unhandled rejection', async () => {
    const rejections = recordProcessEvents<unknown>('unhandledRejection');
    try {
      const { operation } = controlled();
      operation.reject(new DbError('ignored'));
      await turns(10);
      expect(rejections.events).toEqual([]);
    } finally {
      rejections.dispose();
    }
  });
});

describe('Deferred', () => {
  it('settles once and reports how', async () => {
    const deferred = new Deferred<number>();
    expect(deferred.settled).toBe('pending');
    deferred.resolve(1);
    deferred.resolve(2);
    deferred.reject(new Error('late'));
    expect(deferred.settled).toBe('fulfilled');
    expect(await deferred.promise).toBe(1);
    const failing = new Deferred<number>();
    failing.reject(new Error('no'));
    expect(failing.settled).toBe('rejected');
    await expect(failing.promise).rejects.toThrow('no');
  });
});
