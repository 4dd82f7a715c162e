import { TdsEngineError, type EngineEvent, type TdsMessage } from '../engine-types.js';
import type { SqlVerb } from '../tsql/ast.js';
import { mapPgError, SESSION_KILLED, type PgErrorLike } from '../pg/pg-error-map.js';
import { RequestCancelled } from '../pg/pg-runner.js';
import { TsqlError } from '../tsql/tsql-error.js';
import type { Frame } from './frame.js';
import type { SessionHost } from './session-host.js';

/**
 * An error raised by a statement, already in SQL Server's terms. `continues` is true for errors after
 * which SQL Server runs the next statement (RAISERROR); other errors end the batch (the engine's
 * documented simplification, as with XACT_ABORT). `events` are ENVCHANGEs the error caused (the
 * rollback of a deadlock victim's transaction), to be sent before the error.
 */
export class StatementFailure extends Error {
  constructor(
    readonly tdsMessage: TdsMessage,
    readonly continues = false,
    readonly events: readonly EngineEvent[] = [],
  ) {
    super(tdsMessage.message);
    this.name = 'StatementFailure';
  }
}

function isPgError(error: unknown): error is PgErrorLike & Error {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error as { severity?: unknown }).severity !== undefined;
}

/** Errors after which SQL Server rolls the whole transaction back (deadlock victim, update conflict). */
const DOOMING = new Set(['40P01', '40001']);

/**
 * Converts whatever a statement threw into a {@link StatementFailure}. PostgreSQL errors are mapped by
 * SQLSTATE (see `mapPgError`); a unique violation is told apart as constraint (2627) or index (2601) from
 * the catalog. {@link RequestCancelled} is rethrown: a cancelled request just ends.
 */
export async function toFailure(error: unknown, host: SessionHost, frame: Frame, line: number, verb: SqlVerb = 'other'): Promise<StatementFailure> {
  if (error instanceof RequestCancelled) throw error;
  if (error instanceof StatementFailure) return error;
  const where = { lineNumber: line, ...(frame.procName === undefined ? {} : { procName: frame.procName }) };
  if (error instanceof TsqlError) {
    return new StatementFailure({ number: error.number, state: error.state, severity: error.severity, message: error.message, ...where, lineNumber: Math.max(error.lineNumber, line) });
  }
  if (error instanceof TdsEngineError) return new StatementFailure({ ...error.tdsMessage, ...where });
  if (!isPgError(error)) {
    const text = error instanceof Error ? error.message : String(error);
    if (/Connection terminated|not queryable|ECONNRESET|Client was closed/i.test(text)) return new StatementFailure({ ...SESSION_KILLED, ...where });
    return new StatementFailure({ number: 50000, state: 1, severity: 16, message: `TDS test server engine failure: ${text}`, ...where });
  }
  let uniqueIsConstraint: boolean | undefined;
  if (error.code === '23505' && error.constraint !== undefined) {
    const found = await host.runner.command('SELECT 1 FROM pg_constraint WHERE conname = $1', [error.constraint]).catch(() => undefined);
    uniqueIsConstraint = found === undefined ? true : found.rows.length > 0;
  }
  const mapped = mapPgError(error, {
    verb,
    database: host.state.database,
    spid: host.runner.pid,
    ...(uniqueIsConstraint === undefined ? {} : { uniqueIsConstraint }),
  });
  const dooms = DOOMING.has(error.code ?? '') || host.state.xactAbort;
  const events = dooms ? await host.transactions.abort().catch(() => (host.transactions.clear(), [])) : [];
  return new StatementFailure({ ...mapped, ...where }, false, events);
}
