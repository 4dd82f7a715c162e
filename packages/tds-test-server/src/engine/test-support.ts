import type {} from '@asyncdb/test-servers';
import { expect, inject } from 'vitest';
import type { EngineEvent, RpcParameter, TdsColumn, TdsEngine, TdsMessage, TdsSession, TdsValue } from './engine-types.js';
import { createPgEngine, type PgEngineOptions } from './pg-engine.js';

/**
 * Test support for the engine's integration tests (not exported from the package). PostgreSQL is the one
 * `@asyncdb/test-servers` provides for the run: `ASYNCDB_PG_URL`, else an embedded server.
 */
export const PG_URL = inject('pgUrl');

/** The password test engines require. */
export const PASSWORD = 'engine-secret';

/** An engine on the test server. */
export function testEngine(options: Partial<PgEngineOptions> = {}): TdsEngine {
  return createPgEngine({ pgUrl: PG_URL, password: PASSWORD, ...options });
}

/** Opens a session as `tester`. */
export function openSession(engine: TdsEngine, database = ''): Promise<TdsSession> {
  return engine.openSession({ userName: 'tester', password: PASSWORD, database, appName: 'engine-tests', hostName: 'localhost' });
}

/** A table name no other test (or test run) uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Pulls every event. */
export async function collect(events: AsyncIterable<EngineEvent>): Promise<EngineEvent[]> {
  const out: EngineEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** Runs a batch to its end. */
export function batch(session: TdsSession, sql: string, signal: AbortSignal = new AbortController().signal): Promise<EngineEvent[]> {
  return collect(session.executeBatch(sql, signal));
}

/** Runs an RPC to its end. */
export function rpc(session: TdsSession, procName: string, parameters: readonly RpcParameter[]): Promise<EngineEvent[]> {
  return collect(session.executeRpc(procName, parameters, new AbortController().signal));
}

/** A result set read back from events. */
export interface ResultSet {
  readonly columns: readonly TdsColumn[];
  readonly rows: TdsValue[][];
}

/** The result sets in the events, in order. */
export function resultSets(events: readonly EngineEvent[]): ResultSet[] {
  const sets: { columns: readonly TdsColumn[]; rows: TdsValue[][] }[] = [];
  for (const event of events) {
    if (event.kind === 'columns') sets.push({ columns: event.columns, rows: [] });
    else if (event.kind === 'row') sets[sets.length - 1]?.rows.push([...event.values]);
  }
  return sets;
}

/** The rows of the only (or first) result set. */
export function rows(events: readonly EngineEvent[]): TdsValue[][] {
  return resultSets(events)[0]?.rows ?? [];
}

/** The messages (ERROR and INFO) in the events. */
export function messages(events: readonly EngineEvent[]): TdsMessage[] {
  return events.flatMap((e) => (e.kind === 'message' ? [e.message] : []));
}

/** The error messages (severity > 10). */
export function errors(events: readonly EngineEvent[]): TdsMessage[] {
  return messages(events).filter((m) => m.severity > 10);
}

/** The row counts of the DONE events (null: no count). */
export function doneCounts(events: readonly EngineEvent[]): (number | null)[] {
  return events.flatMap((e) => (e.kind === 'done' ? [e.rowCount] : []));
}

/** Asserts the batch produced no error and returns its events. */
export async function ok(session: TdsSession, sql: string): Promise<EngineEvent[]> {
  const events = await batch(session, sql);
  expect(errors(events), sql).toEqual([]);
  return events;
}

/** An RPC parameter. */
export function param(name: string, type: TdsColumn['type'], value: TdsValue, extra: Partial<TdsColumn> & { output?: boolean } = {}): RpcParameter {
  const { output = false, ...column } = extra;
  return { name, type: { name: '', type, nullable: true, ...column }, value, output };
}

/** The sp_executesql parameters for a statement and its declarations. */
export function executeSql(statement: string, declarations?: string, ...parameters: RpcParameter[]): RpcParameter[] {
  const head = [param('@statement', 'nvarchar', statement, { length: -1 })];
  if (declarations !== undefined) head.push(param('@params', 'nvarchar', declarations, { length: -1 }));
  return [...head, ...parameters];
}
