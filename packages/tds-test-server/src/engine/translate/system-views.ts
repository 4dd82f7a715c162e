import type { Translator } from './translator.js';

/** `$n` of a session value, for the rows of the current session. */
function own(t: Translator, name: string): string {
  return t.context.system(name) ?? 'NULL';
}

/**
 * The SQL Server catalog and dynamic management views the engine answers, as PostgreSQL subqueries over
 * pg_stat_activity and pg_class. Only the columns listed exist. For the current session the values the
 * engine keeps (login name, isolation level, open transactions) are used.
 */
export const SYSTEM_VIEWS: ReadonlyMap<string, (t: Translator) => string> = new Map<string, (t: Translator) => string>([
  [
    // One row per request running now (none for an idle session): session_id, request_id, start_time, status,
    // command (the statement's first word), text, blocking_session_id, wait_type, total_elapsed_time.
    'dm_exec_requests',
    () => `SELECT CAST(a.pid AS integer) AS session_id, 0 AS request_id, a.query_start AS start_time,
        CAST(CASE WHEN a.wait_event_type = 'Lock' THEN 'suspended' ELSE 'running' END AS varchar(30)) AS status,
        CAST(upper(COALESCE(substring(a.query from '^/\\* ([A-Z]+) \\*/'), split_part(btrim(a.query), ' ', 1))) AS varchar(32)) AS command,
        a.query AS text, CAST(COALESCE((pg_blocking_pids(a.pid))[1], 0) AS integer) AS blocking_session_id,
        CAST(a.wait_event AS varchar(60)) AS wait_type,
        CAST(EXTRACT(epoch FROM clock_timestamp() - a.query_start) * 1000 AS integer) AS total_elapsed_time
      FROM pg_stat_activity a WHERE a.state = 'active' AND a.backend_type = 'client backend'`,
  ],
  [
    // One row per session: session_id, login_time, host_name, program_name, login_name, status,
    // transaction_isolation_level (1 read uncommitted … 5 snapshot), open_transaction_count, is_user_process.
    'dm_exec_sessions',
    (t) => `SELECT CAST(a.pid AS integer) AS session_id, a.backend_start AS login_time,
        CAST(a.client_hostname AS varchar(128)) AS host_name, CAST(a.application_name AS varchar(128)) AS program_name,
        CAST(CASE WHEN a.pid = pg_backend_pid() THEN ${own(t, 'SUSER_SNAME')} ELSE a.usename END AS varchar(128)) AS login_name,
        CAST(CASE WHEN a.state = 'active' THEN 'running' ELSE 'sleeping' END AS varchar(30)) AS status,
        CAST(CASE WHEN a.pid = pg_backend_pid() THEN ${own(t, 'ISOLATION_LEVEL')} ELSE 2 END AS smallint) AS transaction_isolation_level,
        CAST(CASE WHEN a.pid = pg_backend_pid() THEN ${own(t, 'TRANCOUNT')} WHEN a.xact_start IS NULL THEN 0 ELSE 1 END AS integer) AS open_transaction_count,
        true AS is_user_process
      FROM pg_stat_activity a WHERE a.backend_type = 'client backend'`,
  ],
  ['tables', () => relations("('r', 'p')")],
  ['objects', () => relations("('r', 'p', 'v')")],
  ['databases', () => 'SELECT CAST(datname AS varchar(128)) AS name, CAST(oid AS integer) AS database_id FROM pg_database WHERE NOT datistemplate'],
]);

/** sys.tables / sys.objects: name, object_id, type ('U ', 'V '), type_desc; this session's temporary tables included. */
function relations(kinds: string): string {
  return `SELECT CAST(c.relname AS varchar(128)) AS name, CAST(c.oid AS integer) AS object_id,
      CAST(CASE WHEN c.relkind = 'v' THEN 'V ' ELSE 'U ' END AS char(2)) AS type,
      CAST(CASE WHEN c.relkind = 'v' THEN 'VIEW' ELSE 'USER_TABLE' END AS varchar(60)) AS type_desc
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ${kinds} AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND (n.nspname NOT LIKE 'pg_temp%' OR n.oid = pg_my_temp_schema())`;
}
