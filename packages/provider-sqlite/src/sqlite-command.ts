import { DbCommand } from '@asyncdb/core';

/** A SQLite command: everything is core's `DbCommand`; `@name` is SQLite's own parameter syntax. */
export class SqliteCommand extends DbCommand {}
