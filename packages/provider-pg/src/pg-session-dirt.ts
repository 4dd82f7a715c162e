import { SessionStateClassifier } from '@asyncdb/core';

/**
 * Whether a pooled PostgreSQL session may carry state into the next checkout, so that its `DISCARD ALL` can be
 * skipped when it provably does not. Conservative by construction: a statement is clean only when it is a read
 * whose every function call is a known built-in without session effects; anything else — a verb that is not a plain
 * read, an unknown function, text the scan cannot follow — makes the session dirty. A server-reported setting
 * (ParameterStatus) that moved away from its value at the start of the checkout makes it dirty too.
 *
 * What it cannot see: a view whose definition calls a function with session effects (set_config, an advisory lock,
 * a temporary table), when the setting it changes is not one the server reports. Writes (INSERT, UPDATE, DELETE,
 * MERGE, COPY) are always dirty, because triggers and column defaults (`nextval`, which gives the session a
 * `currval`) run code the SQL does not show.
 */
export interface SessionDirt {
  /** Notes a statement the session ran (its text as sent). */
  markExecuted(sql: string): void;
  /** Notes what the server said about the session: a transaction status other than idle makes it dirty. */
  markFromServerStatus(transactionStatus: string | null): void;
  /** True when the session may differ from a freshly reset one. */
  readonly isDirty: boolean;
  /** Forgets everything noted (the session was reset, or a checkout begins on a clean one). */
  clear(): void;
}

/** Statement verbs that only read: clean when their function calls are. */
const READ_VERBS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE', 'SHOW', 'BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ABORT']);

/**
 * Words that, anywhere in a statement, mean session state (or something the scan will not reason about): temporary
 * objects, `SELECT … INTO` (a new table, possibly TEMP), row locks are fine but `LOCK` outside a transaction is not
 * a read, cursors, prepared statements, LISTEN, and the temporary schema by name.
 */
const DIRTY_WORDS = new Set([
  'INTO',
  'TEMP',
  'TEMPORARY',
  'PG_TEMP',
  'DECLARE',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'DISCARD',
  'LOAD',
  'RESET',
  'SET',
  'CALL',
  'DO',
  'LOCK',
  'COPY',
  'INSERT',
  'UPDATE',
  'DELETE',
  'MERGE',
]);

/**
 * Words followed by `(` that are syntax, not function calls (`IN (…)`, `AS (…)`, `EXISTS (…)`, a type's modifier).
 */
const NOT_CALLS = new Set([
  'IN', 'AS', 'EXISTS', 'ANY', 'ALL', 'SOME', 'ON', 'USING', 'OVER', 'FILTER', 'WITHIN', 'VALUES', 'ROW', 'ARRAY',
  'AND', 'OR', 'NOT', 'SELECT', 'FROM', 'WHERE', 'JOIN', 'LATERAL', 'BY', 'WINDOW', 'PARTITION', 'LIMIT', 'OFFSET',
  'RETURNING', 'WITH', 'RECURSIVE', 'MATERIALIZED', 'UNION', 'EXCEPT', 'INTERSECT', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'IS', 'DISTINCT', 'HAVING', 'GROUP', 'ORDER', 'FETCH', 'FOR', 'OF', 'TABLE',
  'VARCHAR', 'CHAR', 'CHARACTER', 'VARYING', 'NUMERIC', 'DECIMAL', 'TIMESTAMP', 'TIME', 'INTERVAL', 'BIT', 'FLOAT',
  'TIMESTAMPTZ', 'TIMETZ', 'VARBIT',
]);

/**
 * Built-in functions that change nothing outside the statement (no settings, locks, sequences, temporary objects or
 * backend state). A call of any other function makes the session dirty.
 */
const CLEAN_FUNCTIONS = new Set([
  // aggregates and window functions
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg',
  'jsonb_object_agg', 'bool_and', 'bool_or', 'every', 'bit_and', 'bit_or', 'row_number', 'rank', 'dense_rank',
  'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'stddev', 'variance',
  'percentile_cont', 'percentile_disc', 'mode',
  // conditionals and comparisons
  'coalesce', 'nullif', 'greatest', 'least', 'num_nulls', 'num_nonnulls',
  // strings
  'lower', 'upper', 'length', 'char_length', 'character_length', 'octet_length', 'bit_length', 'substring', 'substr',
  'position', 'strpos', 'trim', 'btrim', 'ltrim', 'rtrim', 'lpad', 'rpad', 'replace', 'concat', 'concat_ws', 'left',
  'right', 'repeat', 'reverse', 'split_part', 'initcap', 'format', 'md5', 'encode', 'decode', 'translate', 'overlay',
  'regexp_replace', 'regexp_match', 'regexp_matches', 'regexp_split_to_array', 'regexp_split_to_table', 'starts_with',
  'chr', 'ascii', 'quote_ident', 'quote_literal', 'quote_nullable', 'to_hex', 'string_to_array', 'array_to_string',
  // numbers
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'mod', 'power', 'sqrt', 'exp', 'ln', 'log', 'sign', 'div',
  'width_bucket', 'pi',
  // dates and times
  'now', 'current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp', 'clock_timestamp',
  'statement_timestamp', 'transaction_timestamp', 'date_trunc', 'date_part', 'extract', 'age', 'make_date',
  'make_time', 'make_timestamp', 'make_timestamptz', 'make_interval', 'to_timestamp', 'to_date', 'to_char',
  'to_number', 'isfinite', 'justify_days', 'justify_hours', 'justify_interval', 'timezone', 'pg_sleep',
  // arrays, JSON, ranges, UUIDs, casts
  'array_length', 'array_lower', 'array_upper', 'array_position', 'array_positions', 'array_remove', 'array_replace',
  'array_append', 'array_prepend', 'array_cat', 'cardinality', 'unnest', 'generate_series', 'generate_subscripts',
  'to_json', 'to_jsonb', 'row_to_json', 'json_build_object', 'jsonb_build_object', 'json_build_array',
  'jsonb_build_array', 'json_array_length', 'jsonb_array_length', 'jsonb_set', 'jsonb_insert', 'json_each',
  'jsonb_each', 'json_each_text', 'jsonb_each_text', 'json_array_elements', 'jsonb_array_elements',
  'json_array_elements_text', 'jsonb_array_elements_text', 'json_extract_path', 'jsonb_extract_path',
  'json_extract_path_text', 'jsonb_extract_path_text', 'jsonb_pretty', 'json_typeof', 'jsonb_typeof',
  'jsonb_strip_nulls', 'jsonb_path_query', 'jsonb_path_exists', 'gen_random_uuid', 'random', 'cast', 'int4range',
  'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'lower_inc', 'upper_inc', 'isempty',
  // catalog and session information (reads)
  'version', 'current_user', 'session_user', 'current_database', 'current_schema', 'current_schemas',
  'current_setting', 'pg_backend_pid', 'pg_typeof', 'format_type', 'to_regclass', 'to_regtype', 'to_regproc',
  'has_table_privilege', 'has_schema_privilege', 'pg_get_userbyid', 'pg_table_is_visible', 'pg_column_size',
  'pg_database_size', 'pg_relation_size', 'pg_total_relation_size', 'pg_size_pretty', 'obj_description',
  'col_description', 'pg_get_expr', 'pg_get_indexdef', 'pg_get_constraintdef', 'pg_get_viewdef',
  'pg_get_serial_sequence', 'pg_is_in_recovery', 'txid_current', 'pg_current_xact_id', 'inet_server_addr',
  'inet_server_port', 'pg_postmaster_start_time', 'pg_cancel_backend', 'pg_terminate_backend',
  // transaction-scoped advisory locks end with the transaction: no session state
  'pg_advisory_xact_lock', 'pg_advisory_xact_lock_shared', 'pg_try_advisory_xact_lock',
  'pg_try_advisory_xact_lock_shared',
]);

/** A word, a quoted identifier, a string or dollar-quoted literal, a comment, or one other character. */
const TOKEN =
  /\s+|--[^\n]*|\/\*[\s\S]*?\*\/|[eE]'[^'\\]*(?:(?:\\[\s\S]|'')[^'\\]*)*'|'[^']*(?:''[^']*)*'|"[^"]*(?:""[^"]*)*"|(\$[A-Za-z_]*\$)[\s\S]*?\1|[A-Za-z_][A-Za-z_0-9$]*|[\s\S]/gy;

/** PostgreSQL's words for core's {@link SessionStateClassifier}. */
const PG_SESSION_STATE = new SessionStateClassifier({
  token: TOKEN,
  isSkipped: (token) => token.charCodeAt(0) <= 32 || token.startsWith('--') || (token.startsWith('/*') && token.length > 2),
  isUnclosed: (token, sql, index) => token === "'" || token === '"' || (token === '/' && sql.startsWith('/*', index)),
  quotedIdentifierStart: 0x22,
  readVerbs: READ_VERBS,
  dirtyWords: DIRTY_WORDS,
  notCalls: NOT_CALLS,
  cleanFunctions: CLEAN_FUNCTIONS,
});

/** True when `sql` may leave session state behind (see {@link SessionDirt}). */
export function leavesSessionState(sql: string): boolean {
  return PG_SESSION_STATE.leavesSessionState(sql);
}

/** One pooled session's dirt, from one reset to the next. */
export class PgSessionDirt implements SessionDirt {
  #dirty = false;

  markExecuted(sql: string): void {
    if (!this.#dirty && leavesSessionState(sql)) this.#dirty = true;
  }

  markFromServerStatus(transactionStatus: string | null): void {
    if (transactionStatus !== 'I') this.#dirty = true;
  }

  /**
   * The server reported a setting's new value (ParameterStatus, sent only when a reported setting changes): dirty,
   * whatever changed it. (A `DISCARD ALL` carried by this checkout's first command reports the settings it restores
   * too; the next close then resets once more — conservative, and only after a reported setting had changed.)
   */
  markParameterStatusChanged(): void {
    this.#dirty = true;
  }

  get isDirty(): boolean {
    return this.#dirty;
  }

  clear(): void {
    this.#dirty = false;
  }
}
