import type { TdsMessage } from '../engine-types.js';
import type { SqlVerb } from '../tsql/ast.js';

/** The fields of a PostgreSQL error the mapping reads (pg's `DatabaseError`). */
export interface PgErrorLike {
  readonly code?: string | undefined;
  readonly message: string;
  readonly detail?: string | undefined;
  readonly constraint?: string | undefined;
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly schema?: string | undefined;
}

/** What the wording of some messages needs besides the error. */
export interface PgErrorSituation {
  /** The verb of the failing statement (INSERT/UPDATE/DELETE wording of 547 and 515). */
  readonly verb: SqlVerb;
  readonly database: string;
  readonly spid: number;
  /** For 23505: true when the violated object is a constraint (2627), false for a unique index (2601). */
  readonly uniqueIsConstraint?: boolean;
}

type Mapped = Omit<TdsMessage, 'lineNumber' | 'procName'>;

const message = (number: number, text: string, severity = 16, state = 1): Mapped => ({ number, state, severity, message: text });

/**
 * The fatal error of a session whose PostgreSQL backend is gone (KILL, server shutdown, lost connection):
 * severity 21, so the client's connection is closed, as SQL Server closes a killed session's.
 */
export const SESSION_KILLED: Mapped = message(596, 'Cannot continue the execution because the session is in the kill state.', 21);

/** `Key (id)=(1) already exists.` → `(1)`. */
function keyValue(detail: string | undefined): string {
  const match = /\)=\((.*)\)/s.exec(detail ?? '');
  return match ? `(${match[1]})` : '';
}

/** `Key (parent_id)=(5) …` → `parent_id`. */
function keyColumn(detail: string | undefined): string {
  return /Key \(([^)]*)\)/.exec(detail ?? '')?.[1] ?? '';
}

function quotedName(text: string, kind: 'relation' | 'column'): string {
  const match = new RegExp(`${kind} "([^"]+)"`).exec(text) ?? new RegExp(`${kind} ([\\w.]+) does not exist`).exec(text);
  return match?.[1] ?? '';
}

/**
 * Maps a PostgreSQL error to the SQL Server error a T-SQL client expects, by SQLSTATE:
 * 23505→2627/2601, 23503→547, 23514→547, 23502→515, 42601→102, 42P01→208, 42703→207, 40P01→1205,
 * 40001→3960, 57014→3980, 22012→8134, 22P02→8114, 22003→220, 22001→8152, 55P03→1222, 42P07→2714,
 * 42883→195, 25P02→3930, 42501→229, 57P01/57P02/57P03 (backend terminated)→596 (fatal); anything else is 50000 with PostgreSQL's message. Messages follow
 * SQL Server's wording, with PostgreSQL's detail where SQL Server would name a key or value.
 * Severity 16, except syntax errors (15) and deadlocks (13), as SQL Server reports them.
 *
 * @see https://www.postgresql.org/docs/current/errcodes-appendix.html
 * @see https://learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors
 */
export function mapPgError(error: PgErrorLike, situation: PgErrorSituation): Mapped {
  const table = error.table === undefined ? '' : `dbo.${error.table}`;
  const verb = situation.verb === 'update' || situation.verb === 'delete' ? situation.verb.toUpperCase() : 'INSERT';
  switch (error.code) {
    case '23505': {
      const value = keyValue(error.detail);
      if (situation.uniqueIsConstraint === false) {
        return message(2601, `Cannot insert duplicate key row in object '${table}' with unique index '${error.constraint ?? ''}'. The duplicate key value is ${value}.`, 14);
      }
      const kind = error.constraint?.endsWith('_pkey') === true ? 'PRIMARY KEY' : 'UNIQUE KEY';
      return message(2627, `Violation of ${kind} constraint '${error.constraint ?? ''}'. Cannot insert duplicate key in object '${table}'. The duplicate key value is ${value}.`, 14);
    }
    case '23503': {
      const referenced = /table "([^"]+)"/.exec(error.detail ?? '')?.[1] ?? error.table ?? '';
      const column = keyColumn(error.detail);
      const stillReferenced = (error.detail ?? '').includes('still referenced');
      const what = stillReferenced ? 'REFERENCE' : 'FOREIGN KEY';
      const stmt = stillReferenced && verb === 'INSERT' ? 'DELETE' : verb;
      return message(547, `The ${stmt} statement conflicted with the ${what} constraint "${error.constraint ?? ''}". The conflict occurred in database "${situation.database}", table "dbo.${referenced}", column '${column}'.`);
    }
    case '23514':
      return message(547, `The ${verb} statement conflicted with the CHECK constraint "${error.constraint ?? ''}". The conflict occurred in database "${situation.database}", table "${table}"${error.column ? `, column '${error.column}'` : ''}.`);
    case '23502':
      return message(515, `Cannot insert the value NULL into column '${error.column ?? ''}', table '${situation.database}.${table}'; column does not allow nulls. ${verb} fails.`);
    case '42601': {
      const near = /at or near "(.*)"$/s.exec(error.message)?.[1] ?? (error.message.includes('end of input') ? 'end of input' : '');
      return message(102, `Incorrect syntax near '${near}'.`, 15);
    }
    case '42P01':
      return message(208, `Invalid object name '${quotedName(error.message, 'relation')}'.`);
    case '42703':
      return message(207, `Invalid column name '${quotedName(error.message, 'column').split('.').pop() ?? ''}'.`);
    case '40P01':
      return message(1205, `Transaction (Process ID ${situation.spid}) was deadlocked on lock resources with another process and has been chosen as the deadlock victim. Rerun the transaction.`, 13, 45);
    case '40001':
      return message(3960, `Snapshot isolation transaction aborted due to update conflict. (${error.message})`, 16, 2);
    case '57014':
      return message(3980, 'The request failed to run because the batch is aborted, this can be caused by abort signal sent from client, or another request is running in the same session, which makes the session busy.');
    case '22012':
      return message(8134, 'Divide by zero error encountered.');
    case '22P02':
    case '22007':
    case '22008':
      return message(8114, `Error converting data type. (${error.message})`);
    case '22003':
      return message(220, `Arithmetic overflow error. (${error.message})`);
    case '22001':
      return message(8152, 'String or binary data would be truncated.');
    case '55P03':
      return message(1222, 'Lock request time out period exceeded.');
    case '42P07':
      return message(2714, `There is already an object named '${quotedName(error.message, 'relation')}' in the database.`);
    case '42883':
      return message(195, `${error.message}. (PostgreSQL: function or operator not recognized)`);
    case '25P02':
      return message(3930, 'The current transaction cannot be committed and cannot support operations that write to the log file. Roll back the transaction.');
    case '42501':
      return message(229, `The permission was denied. (${error.message})`, 14);
    case '57P01':
    case '57P02':
    case '57P03':
      return SESSION_KILLED;
    default:
      return message(50000, error.message);
  }
}
