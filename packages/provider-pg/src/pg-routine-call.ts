import { CommandBehavior, type BoundParameter, type Cancellation, type StatementRequest } from '@asyncdb/core';
import { PgResultCursor } from './pg-result-cursor.js';
import type { PgSession } from './pg-session.js';

/** What `pg_proc.prokind` says a routine is: `p` a procedure (run with CALL), anything else a function. */
export type PgRoutineKind = 'procedure' | 'function';

/**
 * The kind of the routine `name` (as written: `fn`, `sch.fn`, `"Fn"`), resolved like the server resolves the call —
 * `to_regproc` follows `search_path` — or, for an overloaded name `to_regproc` cannot pick, the first routine whose
 * name prints the same. Unknown names are functions: `SELECT * FROM name(…)` then fails with the server's own
 * "function … does not exist".
 */
const KIND_SQL = `SELECT p.prokind::text FROM pg_catalog.pg_proc p WHERE p.oid = to_regproc($1)
UNION ALL
(SELECT p.prokind::text FROM pg_catalog.pg_proc p WHERE to_regproc($1) IS NULL AND p.oid::regproc::text = $1 LIMIT 1)
LIMIT 1`;

/** Looks up whether `name` is a procedure or a function, on the command's own session and cancellation. */
export async function pgRoutineKind(
  session: PgSession,
  name: string,
  cancellation: Cancellation,
  secrets: readonly string[],
): Promise<PgRoutineKind> {
  const cursor = await PgResultCursor.start(session, {
    statements: [{ text: KIND_SQL, parameters: [textParameter(name)] }],
    behavior: CommandBehavior.Default,
    cancellation,
    secrets,
  });
  let kind: unknown;
  try {
    if (await cursor.nextResult()) kind = (await cursor.fetch(1))[0]?.[0];
    while (await cursor.nextResult()) {
      // One statement: nothing more to read.
    }
  } finally {
    await cursor.close();
  }
  return kind === 'p' ? 'procedure' : 'function';
}

/**
 * The statement that runs routine `name` with the command's parameters, in collection order and by position
 * (as the MySQL provider does): a procedure as `CALL name($1, NULL, …)` — an Output parameter is an argument of a
 * procedure and must be passed as NULL (PostgreSQL 14+) — and a function as `SELECT * FROM name($1, …)`, where Output
 * parameters are not arguments. ReturnValue parameters are never arguments; their values, like the Output ones',
 * come from the first row (see `pg-output-values.ts`).
 */
export function pgRoutineStatement(
  name: string,
  kind: PgRoutineKind,
  parameters: readonly BoundParameter[],
): StatementRequest {
  const values: BoundParameter[] = [];
  const args: string[] = [];
  for (const parameter of parameters) {
    if (parameter.direction === 'ReturnValue') continue;
    if (parameter.direction === 'Output') {
      if (kind === 'procedure') args.push('NULL');
      continue;
    }
    values.push(parameter);
    args.push(`$${values.length}`);
  }
  const call = `${name}(${args.join(', ')})`;
  return { text: kind === 'procedure' ? `CALL ${call}` : `SELECT * FROM ${call}`, parameters: values };
}

function textParameter(value: string): BoundParameter {
  return {
    name: 'name',
    value,
    dbType: 'String',
    dbTypeExplicit: true,
    direction: 'Input',
    size: 0,
    precision: 0,
    scale: 0,
  };
}
