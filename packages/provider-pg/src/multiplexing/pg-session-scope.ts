import { NotSupportedError } from '@asyncdb/core';

/**
 * What a multiplexed command may not do: leave state on the physical session, which the next caller's command would
 * inherit (or would miss, on another session). Npgsql documents the same limits for its multiplexing; asyncdb refuses
 * them before anything is sent. Each rule names the statement and says what to do instead.
 */
interface ScopeRule {
  readonly pattern: RegExp;
  readonly what: string;
  /** Allowed inside a transaction, where it ends with the transaction (SET LOCAL, ON COMMIT DROP…). */
  readonly inTransaction?: boolean;
}

const RULES: readonly ScopeRule[] = [
  {
    pattern: /^set\s+(?!local\b|transaction\b|constraints\b|session\s+characteristics\b)/,
    what: 'SET (use SET LOCAL inside a transaction, or a connection string keyword)',
  },
  { pattern: /^(reset|discard)\b/, what: 'RESET / DISCARD' },
  {
    pattern: /^(prepare(?!\s+transaction\b)|deallocate)\b/,
    what: 'PREPARE / DEALLOCATE (statements are prepared per session)',
  },
  {
    pattern: /^(listen|unlisten)\b/,
    what: 'LISTEN / UNLISTEN (use a connection without Multiplexing for notifications)',
  },
  { pattern: /^load\b/, what: 'LOAD' },
  { pattern: /^declare\b.*\bwith\s+hold\b/s, what: 'DECLARE … WITH HOLD' },
  { pattern: /^declare\b/, what: 'DECLARE (a cursor needs a transaction)', inTransaction: true },
  {
    pattern: /^create\s+(or\s+replace\s+)?(global\s+|local\s+)?(temp|temporary)\b(?!.*\bon\s+commit\s+drop\b)/s,
    what: 'CREATE TEMP (temporary objects live in one session; inside a transaction, add ON COMMIT DROP)',
  },
  {
    pattern: /^create\s+(or\s+replace\s+)?(global\s+|local\s+)?(temp|temporary)\b/,
    what: 'CREATE TEMP … ON COMMIT DROP outside a transaction',
    inTransaction: true,
  },
  { pattern: /\binto\s+(temp|temporary)\b/, what: 'SELECT … INTO TEMP' },
  {
    pattern: /^(begin|start\s+transaction|commit|end|rollback|abort|savepoint|release|prepare\s+transaction)\b/,
    what: 'transaction control as text (use connection.beginTransaction())',
  },
  {
    pattern: /\bpg_(try_)?advisory_(un)?lock(_shared)?\s*\(/,
    what: 'session-level advisory locks (use pg_advisory_xact_lock in a transaction)',
  },
  { pattern: /\bpg_advisory_unlock_all\s*\(/, what: 'pg_advisory_unlock_all' },
  {
    pattern: /\bset_config\s*\((?![^()]*,\s*true\s*\))/,
    what: 'set_config(…, false) (pass true, inside a transaction)',
  },
  { pattern: /^copy\b.*\bfrom\s+stdin\b/s, what: 'COPY … FROM STDIN' },
];

/**
 * Comments, dollar-quoted bodies, E'' strings (backslash escapes), plain strings and quoted identifiers, matched in one
 * left-to-right pass: the leftmost construct wins, so `--` inside a string or a quote inside a comment cannot hide the
 * text after it (separate passes let `SELECT E'\'', pg_advisory_lock(1)` or `SELECT '--', pg_advisory_lock(1)` through).
 */
const NON_CODE =
  /--[^\n]*|\/\*[\s\S]*?\*\/|\$([A-Za-z_]*)\$[\s\S]*?\$\1\$|\b[eE]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|"(?:[^"]|"")*"/g;

/** The text without comments, string literals and quoted identifiers, lower-cased and trimmed (for the rules). */
function normalized(text: string): string {
  return text
    .replace(NON_CODE, (match) =>
      match.startsWith('--') || match.startsWith('/*') ? ' ' : match.startsWith('"') ? '""' : "''",
    )
    .trim()
    .toLowerCase();
}

/**
 * Why `text` cannot run on a multiplexed connection, or undefined when it can. Conservative on purpose for the
 * statements it names; anything else (DML, DDL, reads, functions) runs.
 */
export function sessionScopeOf(text: string, inTransaction: boolean): string | undefined {
  const sql = normalized(text);
  for (const rule of RULES) {
    if (rule.inTransaction && inTransaction) continue;
    if (rule.pattern.test(sql)) return rule.what;
  }
  return undefined;
}

/** Texts checked before (the same few statements run again and again): verdict per text, outside / in a transaction. */
const verdicts = new Map<string, readonly [string | undefined, string | undefined]>();
/** Texts longer than this are checked every time (a long generated text is rarely run twice). */
const CACHED_TEXT_MAX = 2048;
/** Entries kept at most; the cache starts over when full. */
const CACHE_MAX = 1000;

function cachedScopeOf(text: string, inTransaction: boolean): string | undefined {
  if (text.length > CACHED_TEXT_MAX) return sessionScopeOf(text, inTransaction);
  let verdict = verdicts.get(text);
  if (verdict === undefined) {
    if (verdicts.size >= CACHE_MAX) verdicts.clear();
    verdict = [sessionScopeOf(text, false), sessionScopeOf(text, true)];
    verdicts.set(text, verdict);
  }
  return verdict[inTransaction ? 1 : 0];
}

/**
 * Throws {@link NotSupportedError} when a statement (one text, or each of several) would leave state on a shared
 * physical session.
 * @throws NotSupportedError naming the statement kind.
 */
export function refuseSessionScope(texts: string | Iterable<string>, inTransaction: boolean): void {
  if (typeof texts === 'string') {
    refuseOne(texts, inTransaction);
    return;
  }
  for (const text of texts) refuseOne(text, inTransaction);
}

function refuseOne(text: string, inTransaction: boolean): void {
  const what = cachedScopeOf(text, inTransaction);
  if (what === undefined) return;
  throw new NotSupportedError(
    `Multiplexing=true shares physical sessions between connections, so a statement may not leave state on one: ` +
      `${what} is not supported. Use a connection string without Multiplexing for session state.`,
  );
}
