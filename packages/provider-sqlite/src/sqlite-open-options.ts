import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConnectionStringError, type DbConnectionStringBuilder } from '@asyncdb/core';
import type { SqliteMode } from './sqlite-keywords.js';
import { RESTORED_PRAGMAS } from './sqlite-session-state.js';
import type { OpenRequest } from './sqlite-worker-protocol.js';

/** The in-memory database name of SQLite. */
const MEMORY = ':memory:';

/**
 * The open request a connection string means (Microsoft.Data.Sqlite's semantics): `Mode=Memory` or
 * `Data Source=:memory:` is a private in-memory database; `ReadWrite` and `ReadOnly` need the file to exist;
 * `ReadOnly` makes the engine refuse every write (`PRAGMA query_only`); `Foreign Keys` and `Recursive Triggers`
 * set their PRAGMAs; `Default Timeout` is the busy timeout.
 * @throws {ConnectionStringError} for `Cache=Shared` (libsql has no shared-cache mode) or a missing Data Source.
 */
export function openRequestOf(builder: DbConnectionStringBuilder): Omit<OpenRequest, 'op'> {
  const mode = (builder.getString('Mode') ?? 'ReadWriteCreate') as SqliteMode;
  const source = builder.getString('Data Source') ?? '';
  if (builder.getString('Cache') === 'Shared') {
    throw new ConnectionStringError('Cache=Shared is not supported: libsql has no shared-cache mode.', {
      keyword: 'Cache',
    });
  }
  const memory = mode === 'Memory' || source === MEMORY || source === '';
  if (source === '' && mode !== 'Memory') {
    throw new ConnectionStringError("The connection string needs 'Data Source' (a file, or :memory:).", {
      keyword: 'Data Source',
    });
  }
  const setup: string[] = [];
  const foreignKeys = builder.getBoolean('Foreign Keys');
  if (foreignKeys !== undefined) setup.push(`PRAGMA foreign_keys = ${foreignKeys ? 1 : 0}`);
  if (builder.getBoolean('Recursive Triggers')) setup.push('PRAGMA recursive_triggers = 1');
  if (mode === 'ReadOnly') setup.push('PRAGMA query_only = 1');
  return {
    path: memory ? MEMORY : resolve(source),
    readonly: mode === 'ReadOnly',
    fileMustExist: !memory && (mode === 'ReadWrite' || mode === 'ReadOnly'),
    busyTimeoutMs: (builder.getInteger('Default Timeout') ?? 30) * 1000,
    encryptionKey: builder.getString('Password') ?? '',
    setup,
    restoredPragmas: RESTORED_PRAGMAS,
  };
}

/**
 * Whether a connection string names a private in-memory database (`:memory:`, an empty Data Source, `Mode=Memory`).
 * Such a database lives exactly as long as its connection, so it is never pooled: a pooled session would carry the
 * whole database into the next open.
 */
export function isPrivateMemory(builder: DbConnectionStringBuilder): boolean {
  const source = builder.getString('Data Source') ?? '';
  return builder.getString('Mode') === 'Memory' || source === MEMORY || source === '';
}

/** Whether the database file of an open request exists (checked before `ReadWrite`/`ReadOnly` opens). */
export function databaseFileExists(request: Omit<OpenRequest, 'op'>): boolean {
  return request.path === MEMORY || existsSync(request.path);
}
