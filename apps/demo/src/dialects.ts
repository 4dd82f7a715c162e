import type { DbProviderFactory } from '@asyncdb/core';
import { sqliteDelay } from './sqlite-delay.js';

/**
 * What genuinely differs between the engines the demo runs on, and nothing else: the scenarios and the dataset
 * are written once, and ask their dialect only for these few fragments.
 */
export interface Dialect {
  /** The engine's name for people (`PostgreSQL`). */
  readonly engine: string;
  /**
   * A statement that makes the server wait `seconds` (fractions allowed) and returns no result set, so that
   * `delay(0.9) + '; SELECT …'` reads as the SELECT alone. It runs on the server, so cancelling it is real.
   */
  delay(seconds: number): string;
  /** `DROP TABLE IF EXISTS`, which every engine here spells the same but which belongs to the DDL all the same. */
  dropTableIfExists(table: string): string;
  /** The column types of the dataset's DDL. */
  readonly types: DialectTypes;
}

/** Column types for the dataset's `CREATE TABLE` statements. */
export interface DialectTypes {
  readonly integer: string;
  readonly date: string;
  text(length: number): string;
  decimal(precision: number, scale: number): string;
}

const portableTypes: DialectTypes = {
  integer: 'INT',
  date: 'DATE',
  text: (length) => `VARCHAR(${length})`,
  decimal: (precision, scale) => `DECIMAL(${precision},${scale})`,
};

/** The dialects by provider invariant name. */
export const DIALECTS: Readonly<Record<string, Dialect>> = Object.freeze({
  pg: {
    engine: 'PostgreSQL',
    // A DO block, not `SELECT pg_sleep()`: a SELECT would be a result set of its own in front of the real one.
    delay: (seconds) => `DO $$BEGIN PERFORM pg_sleep(${seconds}); END$$`,
    dropTableIfExists: (table) => `DROP TABLE IF EXISTS ${table}`,
    types: portableTypes,
  },
  mysql: {
    engine: 'MySQL/MariaDB',
    delay: (seconds) => `DO SLEEP(${seconds})`,
    dropTableIfExists: (table) => `DROP TABLE IF EXISTS ${table}`,
    types: portableTypes,
  },
  mssql: {
    engine: 'SQL Server',
    delay: (seconds) => `WAITFOR DELAY '${waitforTime(seconds)}'`,
    dropTableIfExists: (table) => `DROP TABLE IF EXISTS ${table}`,
    // NVARCHAR: SQL Server's VARCHAR is not Unicode, and company names are.
    types: { ...portableTypes, text: (length) => `NVARCHAR(${length})` },
  },
  sqlite: {
    engine: 'SQLite',
    // No sleep in SQLite: a statement that computes for about that long, calibrated at start (sqlite-delay.ts).
    delay: sqliteDelay,
    dropTableIfExists: (table) => `DROP TABLE IF EXISTS ${table}`,
    types: portableTypes,
  },
});

/** The dialect of a provider; an error naming the supported ones when the demo does not know it. */
export function dialectFor(factory: DbProviderFactory): Dialect {
  const dialect = DIALECTS[factory.invariantName];
  if (!dialect) {
    throw new Error(
      `The demo has no SQL dialect for provider '${factory.invariantName}'; it knows ${Object.keys(DIALECTS).join(', ')} (apps/demo/src/dialects.ts).`,
    );
  }
  return dialect;
}

/** `WAITFOR DELAY` wants `hh:mm:ss.mmm`. */
function waitforTime(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const secs = Math.floor(totalMs / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(totalMs % 1000, 3)}`;
}
