/**
 * The words and tokens of one SQL dialect that {@link SessionStateClassifier} needs to tell a plain read from a
 * statement that may leave state in its session.
 */
export interface SessionStateVocabulary {
  /**
   * Tokenizer: a sticky, global pattern whose alternatives match white space, comments, literals and quoted
   * identifiers whole, words, and any other single character (so an unclosed literal or comment shows as its lone
   * opening character). Write literals unrolled (`'[^']*(?:''[^']*)*'`), never as a quantified alternation
   * (`'(?:[^']|'')*'`): V8 recurses per character of the latter and overflows its stack on a long literal.
   */
  readonly token: RegExp;
  /** True for a token that carries no code: white space or a (non-executable) comment. */
  isSkipped(token: string): boolean;
  /** True for a single-character token that opens something the pattern could not close (at `index` in `sql`). */
  isUnclosed(token: string, sql: string, index: number): boolean;
  /** Char code that starts a closed quoted identifier token (`"` or a backtick). */
  readonly quotedIdentifierStart: number;
  /** Upper-case verbs of statements that only read. */
  readonly readVerbs: ReadonlySet<string>;
  /** Upper-case words that, anywhere outside literals and comments, make a statement dirty. */
  readonly dirtyWords: ReadonlySet<string>;
  /** Non-word tokens that make a statement dirty (`:=`). */
  readonly dirtyTokens?: ReadonlySet<string>;
  /** Upper-case words followed by `(` that are syntax or types, not function calls. */
  readonly notCalls: ReadonlySet<string>;
  /** Lower-case names of built-in functions without session effects. */
  readonly cleanFunctions: ReadonlySet<string>;
}

/** Texts longer than this are not cached. */
const MAX_CACHED_LENGTH = 2048;

/** A callee that cannot be a known built-in: a qualified or quoted name. */
const UNKNOWN_CALLEE = '';

/**
 * Tells, conservatively, whether a statement may leave state in its session (settings, variables, temporary
 * objects, locks…), so that a provider can skip the reset of a pooled session that provably ran only plain reads.
 * A statement is clean only when it starts with a read verb, holds no dirty word or token outside literals and
 * comments, calls only known built-in functions, and the scan could follow all of it; anything else is dirty.
 * Classifications are cached per text (an application runs the same few texts over and over).
 */
export class SessionStateClassifier {
  readonly #vocabulary: SessionStateVocabulary;
  readonly #cache = new Map<string, boolean>();
  readonly #cacheLimit: number;
  #lastSql: string | undefined;
  #lastDirty = false;

  constructor(vocabulary: SessionStateVocabulary, cacheLimit = 4096) {
    this.#vocabulary = vocabulary;
    this.#cacheLimit = cacheLimit;
  }

  /** True when `sql` may leave session state behind. */
  leavesSessionState(sql: string): boolean {
    // The last text asked about (a loop, a pool running one query): one compare, no lookup.
    if (sql === this.#lastSql) return this.#lastDirty;
    // A long text (a bulk INSERT, a huge literal) is classified each time rather than kept alive by the cache.
    if (sql.length > MAX_CACHED_LENGTH) return this.#classify(sql);
    let dirty = this.#cache.get(sql);
    if (dirty === undefined) {
      dirty = this.#classify(sql);
      if (this.#cache.size >= this.#cacheLimit) this.#cache.clear();
      this.#cache.set(sql, dirty);
    }
    this.#lastSql = sql;
    this.#lastDirty = dirty;
    return dirty;
  }

  #classify(sql: string): boolean {
    const words = this.#vocabulary;
    const pattern = words.token;
    pattern.lastIndex = 0;
    let first: string | undefined;
    // The word just before the current token, when a `(` after it would make it a function call.
    let callee: string | undefined;
    let afterDot = false;
    for (let match = pattern.exec(sql); match !== null; match = pattern.exec(sql)) {
      const token = match[0];
      if (words.isSkipped(token)) continue;
      const code = token.charCodeAt(0);
      if (isWordStart(code) && isWord(token)) {
        const upper = token.toUpperCase();
        first ??= upper;
        if (words.dirtyWords.has(upper)) return true;
        callee = afterDot ? UNKNOWN_CALLEE : token;
        afterDot = false;
        continue;
      }
      if (code === words.quotedIdentifierStart && token.length > 1) {
        callee = UNKNOWN_CALLEE;
        afterDot = false;
        continue;
      }
      if (words.dirtyTokens?.has(token)) return true;
      if (token === '(' && callee !== undefined && this.#isCall(callee)) return true;
      if (token.length === 1 && words.isUnclosed(token, sql, match.index)) return true;
      afterDot = token === '.';
      callee = undefined;
    }
    return first === undefined || !words.readVerbs.has(first);
  }

  #isCall(word: string): boolean {
    if (word === UNKNOWN_CALLEE) return true;
    if (this.#vocabulary.notCalls.has(word.toUpperCase())) return false;
    return !this.#vocabulary.cleanFunctions.has(word.toLowerCase());
  }
}

function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** A word token (not a prefixed literal such as `E'…'` that starts with a letter). */
function isWord(token: string): boolean {
  return !token.includes("'");
}
