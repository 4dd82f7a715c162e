/**
 * What a statement can leave behind in a SQLite connection that the next user of a pooled session must not see, read
 * from its text on the main thread (before it runs), so that a session that ran only queries and plain writes goes
 * back to the pool with nothing to do.
 * @internal
 */

/**
 * - `none`: nothing session-scoped (a query, a plain INSERT/UPDATE/DELETE outside a transaction, a PRAGMA read).
 * - `resettable`: state the pool's reset undoes (a transaction, temp objects, an attached database, one of
 *   {@link RESTORED_PRAGMAS}).
 * - `unrestorable`: a PRAGMA the reset does not know how to put back: the session is closed instead of pooled.
 */
export type SessionEffect = 'none' | 'resettable' | 'unrestorable';

/**
 * The connection-scoped PRAGMAs the reset reads at open and puts back when they differ: every setting a connection
 * string or an application commonly changes. (`case_sensitive_like` cannot be read; the reset sets it off, its
 * default, which no keyword changes.)
 */
export const RESTORED_PRAGMAS: readonly string[] = Object.freeze([
  'foreign_keys',
  'recursive_triggers',
  'query_only',
  'busy_timeout',
  'cache_size',
  'cache_spill',
  'synchronous',
  'temp_store',
  'automatic_index',
  'defer_foreign_keys',
  'ignore_check_constraints',
  'reverse_unordered_selects',
  'cell_size_check',
  'trusted_schema',
  'legacy_alter_table',
  'read_uncommitted',
  'secure_delete',
]);

/** PRAGMAs that take an argument in parentheses to read something, not to set it. */
const READING_PRAGMAS = new Set([
  'table_info',
  'table_xinfo',
  'table_list',
  'index_info',
  'index_xinfo',
  'index_list',
  'foreign_key_list',
  'foreign_key_check',
  'integrity_check',
  'quick_check',
  'function_list',
  'module_list',
  'pragma_list',
  'collation_list',
  'database_list',
  'compile_options',
  'wal_checkpoint',
  'optimize',
]);

/** Statements that leave no session state behind (outside a transaction, which is counted separately). */
const STATELESS = new Set(['SELECT', 'VALUES', 'WITH', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'EXPLAIN']);

/** Skips white space and comments at the start of a statement. */
function withoutLeadingComments(sql: string): string {
  let text = sql;
  for (;;) {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('--')) {
      const end = trimmed.indexOf('\n');
      text = end < 0 ? '' : trimmed.slice(end + 1);
    } else if (trimmed.startsWith('/*')) {
      const end = trimmed.indexOf('*/');
      text = end < 0 ? '' : trimmed.slice(end + 2);
    } else return trimmed;
  }
}

const PRAGMA = /^PRAGMA\s+(?:["`[]?\w+["`\]]?\s*\.\s*)?["`[]?(\w+)["`\]]?\s*(=|\()?/i;

/**
 * Classifies one statement (core hands the provider one statement at a time). Conservative: anything it does not
 * recognise as stateless is `resettable`, so the reset runs.
 */
export function sessionEffectOf(sql: string): SessionEffect {
  const text = withoutLeadingComments(sql);
  const keyword = /^[A-Za-z]+/.exec(text)?.[0]?.toUpperCase() ?? '';
  if (STATELESS.has(keyword)) return 'none';
  if (keyword !== 'PRAGMA') return 'resettable';
  const match = PRAGMA.exec(text);
  if (!match) return 'resettable';
  const name = match[1]!.toLowerCase();
  const argument = match[2];
  if (argument === undefined) return 'none';
  if (RESTORED_PRAGMAS.includes(name) || name === 'case_sensitive_like') return 'resettable';
  if (argument === '(' && READING_PRAGMAS.has(name)) return 'none';
  return 'unrestorable';
}
