import { IsolationLevel, NotSupportedError, type TransactionRequest } from '@asyncdb/core';

/** The isolation levels PostgreSQL accepts (READ UNCOMMITTED behaves as READ COMMITTED, as the manual says). */
export const PG_ISOLATION_LEVELS: readonly IsolationLevel[] = Object.freeze([
  IsolationLevel.ReadUncommitted,
  IsolationLevel.ReadCommitted,
  IsolationLevel.RepeatableRead,
  IsolationLevel.Serializable,
]);

const ISOLATION_SQL: Partial<Record<IsolationLevel, string>> = {
  [IsolationLevel.ReadUncommitted]: ' ISOLATION LEVEL READ UNCOMMITTED',
  [IsolationLevel.ReadCommitted]: ' ISOLATION LEVEL READ COMMITTED',
  [IsolationLevel.RepeatableRead]: ' ISOLATION LEVEL REPEATABLE READ',
  [IsolationLevel.Serializable]: ' ISOLATION LEVEL SERIALIZABLE',
  [IsolationLevel.Unspecified]: '',
};

/** Quotes a savepoint name (core has checked it is an identifier), so `Save('A')` and `Save('a')` stay distinct. */
function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL for a transaction request. */
export function transactionSql(request: TransactionRequest): string {
  switch (request.kind) {
    case 'begin': {
      const isolation = ISOLATION_SQL[request.isolationLevel];
      if (isolation === undefined) {
        throw new NotSupportedError(`PostgreSQL does not support isolation level ${request.isolationLevel}.`);
      }
      return `BEGIN${isolation}`;
    }
    case 'commit':
      return 'COMMIT';
    case 'rollback':
      return request.savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${quoteName(request.savepoint)}`;
    case 'save':
      return `SAVEPOINT ${quoteName(request.savepoint)}`;
    case 'release':
      return `RELEASE SAVEPOINT ${quoteName(request.savepoint)}`;
  }
}
