import type { TransactionRequest } from '@asyncdb/core';

/**
 * The statement of a transaction request. `BEGIN IMMEDIATE`, as Microsoft.Data.Sqlite begins: the write lock is
 * taken at the start, so two writers wait for each other (busy timeout) instead of failing when the second upgrades
 * from reading to writing. SQLite transactions are serializable; savepoint names are validated identifiers (core).
 */
export function transactionSql(request: TransactionRequest): string {
  switch (request.kind) {
    case 'begin':
      return 'BEGIN IMMEDIATE';
    case 'commit':
      return 'COMMIT';
    case 'rollback':
      return request.savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT "${request.savepoint}"`;
    case 'save':
      return `SAVEPOINT "${request.savepoint}"`;
    case 'release':
      return `RELEASE SAVEPOINT "${request.savepoint}"`;
  }
}
