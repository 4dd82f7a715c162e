import { inject } from 'vitest';
import type { DbConnection } from '@asyncdb/core';
import { PgConnection, PgConnectionStringBuilder, PgProviderFactory } from '../src/index.js';

/** Extra keywords for a test connection string. */
export type Keywords = Readonly<Record<string, string | number | boolean>>;

/** The URL of the PostgreSQL this run uses (ASYNCDB_PG_URL, else the embedded one the global setup started). */
export function pgUrl(): string {
  return inject('pgUrl');
}

/** A connection string for the test server, in keyword form, with extra keywords. */
export function connectionString(keywords: Keywords = {}): string {
  const builder = new PgConnectionStringBuilder(pgUrl());
  for (const [keyword, value] of Object.entries(keywords)) builder.set(keyword, value);
  return builder.connectionString;
}

/** Opens a connection to the test server (pooled unless the keywords say otherwise). */
export async function openConnection(keywords: Keywords = {}): Promise<PgConnection> {
  const connection = PgProviderFactory.instance.createConnection(connectionString(keywords));
  await connection.open();
  return connection;
}

/** Runs a query and returns its first value. */
export async function scalar<T = unknown>(
  connection: DbConnection,
  sql: string,
  parameters: Readonly<Record<string, unknown>> = {},
): Promise<T> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  return (await command.executeScalar()) as T;
}

/** Runs a statement for its effect and returns the rows affected. */
export async function execute(
  connection: DbConnection,
  sql: string,
  parameters: Readonly<Record<string, unknown>> = {},
): Promise<number> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  return command.executeNonQuery();
}

/** Reads every row of a query as arrays. */
export async function rows(
  connection: DbConnection,
  sql: string,
  parameters: Readonly<Record<string, unknown>> = {},
): Promise<unknown[][]> {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  const result: unknown[][] = [];
  await using reader = await command.executeReader();
  while (await reader.read()) result.push(reader.getValues());
  return result;
}

/** Runs `body` with a separate, unpooled connection: the test's view of the server from outside. */
export async function withObserver<T>(body: (observer: PgConnection) => Promise<T>): Promise<T> {
  await using observer = await openConnection({ Pooling: false, 'Application Name': 'asyncdb-observer' });
  return await body(observer);
}

/** The `pg_stat_activity.state` of a backend, or null once it has gone. */
export async function backendState(pid: number | string | undefined): Promise<string | null> {
  return withObserver(async (observer) => {
    const state = await scalar<string | null | undefined>(
      observer,
      'SELECT state FROM pg_stat_activity WHERE pid = @pid',
      { pid: Number(pid) },
    );
    return state ?? null;
  });
}

/** Polls `probe` until it returns true; fails after `attempts` tries (state changes on the server are asynchronous). */
export async function eventually(probe: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The condition did not become true.');
}

/** A unique name for a table, so test files sharing the server do not collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
