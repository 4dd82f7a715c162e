import type { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';

/** Keywords that only shape the `DbConnection` object, not the physical session: they never split pools. */
export const CONNECTION_ONLY_KEYWORDS: ReadonlySet<string> = new Set([
  'Asynchronous Processing',
  'Command Timeout',
  'Persist Security Info',
]);

/** Pool keys already computed, by printed connection string (an application uses a handful). */
const keys = new Map<string, string>();
const KEYS_LIMIT = 256;

/**
 * The pool key of a connection string: its keywords in canonical spelling and order (so keyword order and synonyms
 * do not split pools, as ADO.NET keys its pools), without {@link CONNECTION_ONLY_KEYWORDS}. Memoized by the printed
 * string, since it is computed on every pooled open.
 */
export function poolKeyOf(builder: DbConnectionStringBuilder): string {
  const printed = builder.connectionString;
  let key = keys.get(printed);
  if (key === undefined) {
    const entries = builder
      .entries()
      .filter(([keyword]) => !CONNECTION_ONLY_KEYWORDS.has(keyword))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    key = JSON.stringify(entries);
    if (keys.size >= KEYS_LIMIT) keys.delete(keys.keys().next().value!);
    keys.set(printed, key);
  }
  return key;
}
