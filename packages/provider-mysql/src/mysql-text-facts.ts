import { leadingKeyword } from './mysql-sql-words.js';

/** What the provider needs to know about one statement's text, derived from the text alone. */
export interface TextFacts {
  /** Its first keyword (see {@link leadingKeyword}). */
  readonly keyword: string;
  /** The word BEGIN or CASE appears in it (it may open a compound statement's block: see mysql-compound-statements). */
  readonly mentionsBlock: boolean;
}

/** Distinct texts remembered; when full the cache starts over (an application runs a bounded set of texts). */
const LIMIT = 1024;
/** Longer texts (bulk INSERTs, huge literals) are scanned each time rather than kept alive by the cache. */
const MAX_CACHED_LENGTH = 4096;

const BLOCK_WORD = /\b(begin|case)\b/i;

const facts = new Map<string, TextFacts>();

function scan(text: string): TextFacts {
  return { keyword: leadingKeyword(text), mentionsBlock: BLOCK_WORD.test(text) };
}

/**
 * The facts of a statement text, scanned once per distinct text: an application runs the same texts again and
 * again, and re-scanning them (word splitting, upper-casing, a regular expression) was a measurable part of every
 * execution. The facts depend on the text only, so a cached answer is always the one a scan would give.
 */
export function textFacts(text: string): TextFacts {
  if (text.length > MAX_CACHED_LENGTH) return scan(text);
  let known = facts.get(text);
  if (known === undefined) {
    known = scan(text);
    if (facts.size >= LIMIT) facts.clear();
    facts.set(text, known);
  }
  return known;
}
