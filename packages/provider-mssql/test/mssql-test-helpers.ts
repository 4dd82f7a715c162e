import { inject } from 'vitest';
import type { DbConnection } from '@asyncdb/core';
import { MssqlConnection, MssqlConnectionStringBuilder, MssqlProviderFactory } from '../src/index.js';
import './mssql-provided-context.js';

/** Extra keywords for a test connection string. */
export type Keywords = Readonly<Record<string, string | number | boolean>>;

/** True when the run targets a real SQL Server (ASYNCDB_MSSQL_URL), false for the TDS test server. */
export function onRealServer(): boolean {
  return inject('mssqlServer') === 'real';
}

/** The connection string of this run's server, with extra keywords. */
export function connectionString(keywords: Keywords = {}): string {
  const builder = new MssqlConnectionStringBuilder(inject('mssqlConnectionString'));
  for (const [keyword, value] of Object.entries(keywords)) builder.set(keyword, value);
  return builder.connectionString;
}

/** Opens a connection (pooled unless the keywords say otherwise). */
export async function openConnection(keywords: Keywords = {}): Promise<MssqlConnection> {
  const connection = MssqlProviderFactory.instance.createConnection(connectionString(keywords));
  await connection.open();
  return connection;
}

/** Runs a query and returns its first value. */
export async function scalar<T = unknown>(connection: DbConnection, sql: string, parameters: Readonly<Record<string, unknown>> = {}): Promise<T> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  return (await command.executeScalar()) as T;
}

/** Runs a statement for its effect and returns the rows affected. */
export async function execute(connection: DbConnection, sql: string, parameters: Readonly<Record<string, unknown>> = {}): Promise<number> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  return command.executeNonQuery();
}

/** Reads every row of the first result as arrays. */
export async function rows(connection: DbConnection, sql: string, parameters: Readonly<Record<string, unknown>> = {}): Promise<unknown[][]> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  const result: unknown[][] = [];
  await using reader = await command.executeReader();
  while (await reader.read()) result.push(reader.getValues());
  return result;
}

/** Runs `body` with a separate, unpooled connection: the test's view of the server from outside. */
export async function withObserver<T>(body: (observer: MssqlConnection) => Promise<T>): Promise<T> {
  await using observer = await openConnection({ Pooling: false, 'Application Name': 'asyncdb-observer' });
  // `return await`: a bare `return body()` would dispose the observer before the body finished.
  return await body(observer);
}

/** Polls `probe` until it returns true; fails after `attempts` tries (server state changes asynchronously). */
export async function eventually(probe: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The condition did not become true.');
}

/** A unique table name, so test files sharing the server do not collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
