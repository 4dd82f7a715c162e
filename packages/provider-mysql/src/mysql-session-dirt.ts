import { SessionStateClassifier } from '@asyncdb/core';
import { SERVER_STATUS_IN_TRANS } from './mysql-driver.js';

/**
 * SERVER_SESSION_STATE_CHANGED: the OK/EOF packet's status bit the server sets when a statement changed the
 * session's state (with `session_track_state_change=ON`): system variables, user variables, the current schema,
 * temporary tables, prepared statements, `LOCK TABLES` (all checked on MariaDB 10.11).
 */
export const SERVER_SESSION_STATE_CHANGED = 0x4000;

/**
 * Whether a pooled MySQL/MariaDB session may carry state into the next checkout, so that its COM_RESET_CONNECTION
 * can be skipped when it provably does not. Two sources, either one makes the session dirty:
 *
 * - the server's own tracking: SERVER_SESSION_STATE_CHANGED or SERVER_STATUS_IN_TRANS in the packet that ended a
 *   statement, or no status at all (a statement that failed or was cut short: unknown, so dirty);
 * - a conservative check of the SQL text for what tracking misses: anything but a plain read (writes move
 *   `LAST_INSERT_ID()`, triggers run unseen code), `GET_LOCK` and every function that is not a known built-in (a
 *   stored function may take a lock), `:=` and `INTO` (user variables), `SQL_CALC_FOUND_ROWS`, `HANDLER`, executable
 *   comments (`/*! … *\/`), and text the scan cannot follow.
 */
export interface SessionDirt {
  /** Notes a statement the session ran (its text as sent). */
  markExecuted(sql: string): void;
  /** Notes the status flags of the packet that ended a statement (`undefined`: unknown). */
  markFromServerStatus(flags: number | undefined): void;
  /** True when the session may differ from a freshly reset one. */
  readonly isDirty: boolean;
  /** Forgets everything noted (the session was reset, or initialized). */
  clear(): void;
}

/** Statement verbs that only read: clean when nothing else in the text is suspect. */
const READ_VERBS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'DO', 'DESCRIBE', 'DESC']);

/** Words that mean session state the tracking may not report, or something the check will not reason about. */
const DIRTY_WORDS = new Set([
  'INTO', 'SET', 'LOCK', 'UNLOCK', 'HANDLER', 'PREPARE', 'EXECUTE', 'DEALLOCATE', 'TEMPORARY', 'CALL', 'LOAD',
  'SQL_CALC_FOUND_ROWS', 'XA', 'FLUSH', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'USE', 'KILL',
]);

/** Words followed by `(` that are syntax or types, not function calls. */
const NOT_CALLS = new Set([
  'IN', 'AS', 'EXISTS', 'ANY', 'ALL', 'SOME', 'ON', 'USING', 'OVER', 'VALUES', 'ROW', 'AND', 'OR', 'NOT', 'SELECT',
  'FROM', 'WHERE', 'JOIN', 'BY', 'WINDOW', 'PARTITION', 'LIMIT', 'WITH', 'RECURSIVE', 'UNION', 'EXCEPT', 'INTERSECT',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'IS', 'DISTINCT', 'HAVING', 'GROUP', 'ORDER', 'FOR', 'OF', 'TABLE', 'LATERAL',
  'CHAR', 'VARCHAR', 'DECIMAL', 'NUMERIC', 'SIGNED', 'UNSIGNED', 'BINARY', 'DATETIME', 'TIME', 'TIMESTAMP', 'INTERVAL',
  'DO',
]);

/** Built-in functions without session effects (no locks, no user variables, no LAST_INSERT_ID(expr)). */
const CLEAN_FUNCTIONS = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'group_concat', 'json_arrayagg', 'json_objectagg', 'bit_and', 'bit_or',
  'std', 'stddev', 'variance', 'row_number', 'rank', 'dense_rank', 'ntile', 'lag', 'lead', 'first_value',
  'last_value', 'nth_value', 'coalesce', 'ifnull', 'nullif', 'if', 'isnull', 'greatest', 'least', 'lower', 'upper',
  'lcase', 'ucase', 'length', 'char_length', 'character_length', 'octet_length', 'substring', 'substr', 'mid', 'left',
  'right', 'locate', 'instr', 'position', 'trim', 'ltrim', 'rtrim', 'lpad', 'rpad', 'replace', 'concat', 'concat_ws',
  'repeat', 'reverse', 'format', 'hex', 'unhex', 'md5', 'sha1', 'sha2', 'to_base64', 'from_base64', 'field',
  'find_in_set', 'elt', 'char', 'ascii', 'ord', 'space', 'quote', 'regexp_replace', 'regexp_substr', 'regexp_instr',
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'truncate', 'mod', 'pow', 'power', 'sqrt', 'exp', 'ln', 'log', 'sign',
  'pi', 'rand', 'now', 'sysdate', 'curdate', 'curtime', 'current_date', 'current_time', 'current_timestamp',
  'utc_date', 'utc_time', 'utc_timestamp', 'date', 'time', 'year', 'month', 'day', 'hour', 'minute', 'second',
  'dayofweek', 'dayofmonth', 'dayofyear', 'week', 'weekday', 'date_add', 'date_sub', 'adddate', 'subdate',
  'datediff', 'timediff', 'timestampdiff', 'timestampadd', 'date_format', 'str_to_date', 'from_unixtime',
  'unix_timestamp', 'last_day', 'makedate', 'maketime', 'extract', 'convert_tz', 'cast', 'convert', 'json_extract',
  'json_unquote', 'json_object', 'json_array', 'json_contains', 'json_length', 'json_keys', 'json_valid',
  'json_type', 'json_set', 'json_insert', 'json_replace', 'json_remove', 'json_value', 'json_query', 'uuid',
  'uuid_short', 'version', 'database', 'schema', 'user', 'current_user', 'session_user', 'system_user',
  'connection_id', 'sleep', 'benchmark', 'row_count', 'found_rows', 'is_free_lock', 'is_used_lock', 'inet_aton',
  'inet_ntoa', 'bin', 'oct', 'conv', 'crc32',
]);

/** A word, a quoted string or identifier, a comment (not an executable one), `:=`, or one other character. */
const TOKEN =
  /\s+|(?:--\s|#)[^\n]*|\/\*(?![!M])[\s\S]*?\*\/|'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'|"[^"\\]*(?:(?:\\[\s\S]|"")[^"\\]*)*"|`[^`]*(?:``[^`]*)*`|[A-Za-z_][A-Za-z_0-9$]*|:=|[\s\S]/gy;

/** MySQL's and MariaDB's words for core's {@link SessionStateClassifier}. */
const MYSQL_SESSION_STATE = new SessionStateClassifier({
  token: TOKEN,
  isSkipped: (token) =>
    token.charCodeAt(0) <= 32 || token.startsWith('--') || token.startsWith('#') || (token.startsWith('/*') && token.length > 2),
  // An executable comment (`/*! … */`, `/*M! … */`) is code the check does not read: it counts as unclosed.
  isUnclosed: (token, sql, index) =>
    token === "'" || token === '"' || token === '`' || (token === '/' && sql.startsWith('/*', index)),
  quotedIdentifierStart: 0x60,
  readVerbs: READ_VERBS,
  dirtyWords: DIRTY_WORDS,
  dirtyTokens: new Set([':=']),
  notCalls: NOT_CALLS,
  cleanFunctions: CLEAN_FUNCTIONS,
});

/** True when `sql` may leave session state the server's tracking does not report (see {@link SessionDirt}). */
export function mayLeaveUntrackedState(sql: string): boolean {
  return MYSQL_SESSION_STATE.leavesSessionState(sql);
}

/** One pooled session's dirt, from one reset to the next. */
export class MysqlSessionDirt implements SessionDirt {
  #dirty = false;

  markExecuted(sql: string): void {
    if (!this.#dirty && mayLeaveUntrackedState(sql)) this.#dirty = true;
  }

  markFromServerStatus(flags: number | undefined): void {
    if (flags === undefined || (flags & (SERVER_SESSION_STATE_CHANGED | SERVER_STATUS_IN_TRANS)) !== 0) {
      this.#dirty = true;
    }
  }

  get isDirty(): boolean {
    return this.#dirty;
  }

  clear(): void {
    this.#dirty = false;
  }
}
