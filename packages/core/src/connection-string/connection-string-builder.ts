import { looksLikeUrl } from './url-connection-string.js';
import { ArgumentError, ConnectionStringError } from '../errors/errors.js';
import { parseConnectionString } from './parse-connection-string.js';
import { keywordNotSupportedError, type KeywordOrigin } from './keyword-errors.js';
import {
  COMMON_KEYWORDS,
  convertKeywordValue,
  foldKeyword,
  indexKeywords,
  invalidValueError,
  isValidKeyword,
  parseBooleanValue,
  parseIntegerValue,
  type KeywordDefinition,
  type KeywordType,
  type KeywordValue,
} from './connection-string-keywords.js';

/** What `toString()` prints instead of a secret value. */
const REDACTED = '*****';

// ADO.NET's ConnectionStringQuoteValueRegex `^[^"'=;\s\p{Cc}]*$`, with .NET's `\s` spelled out.
const BARE_VALUE = /^[^"'=;\t-\r\x85\p{Z}\p{Cc}]*$/u;

/** Without a keyword table, these keys still count as secrets, so a generic builder never logs a password. */
const GENERIC_SECRETS: ReadonlySet<string> = new Set(
  COMMON_KEYWORDS.filter((definition) => definition.secret === true).flatMap((definition) =>
    [definition.name, ...(definition.synonyms ?? [])].map(foldKeyword),
  ),
);

/** The generic builder's known keywords (those it may name in an error): core's common table. */
const COMMON_INDEX: ReadonlyMap<string, KeywordDefinition> = indexKeywords(COMMON_KEYWORDS);

/** Keyword indexes are built once per table, however many builders use it. */
const INDEXES = new WeakMap<readonly KeywordDefinition[], Map<string, KeywordDefinition>>();

/**
 * Entries of `key=value` texts already parsed and validated, per keyword index (the generic builder's under
 * {@link GENERIC_TABLE}). ADO.NET caches parsed connection strings the same way: an application opens a new
 * connection with the same string again and again (a pooled open creates a `DbConnection` each time), and parsing
 * plus validating it every time was a visible share of a pooled open. Parsing is a pure function of the text and a
 * table, and entries are never mutated, so a hit reproduces exactly what parsing would. Failures are not cached;
 * URL-form strings are not cached (a provider's `urlToPairs` is not ours to assume pure).
 */
const PARSED = new WeakMap<object, Map<string, ReadonlyMap<string, Entry>>>();
const GENERIC_TABLE = {};
/** Distinct strings remembered per table; an application has a handful, so the oldest is simply dropped. */
const PARSED_LIMIT = 32;

function parsedCacheFor(table: object): Map<string, ReadonlyMap<string, Entry>> {
  let cache = PARSED.get(table);
  if (cache === undefined) {
    cache = new Map();
    PARSED.set(table, cache);
  }
  return cache;
}

function indexFor(keywords: readonly KeywordDefinition[]): Map<string, KeywordDefinition> {
  let index = INDEXES.get(keywords);
  if (index === undefined) {
    index = indexKeywords(keywords);
    INDEXES.set(keywords, index);
  }
  return index;
}

function quoteValue(value: string): string {
  if (BARE_VALUE.test(value)) return value;
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Appends `keyword=value` to `parts` (to be joined with `;`), quoting exactly as ADO.NET does:
 * bare when the value has no quote, `=`, `;`, white space or control character; else `'…'` when it
 * has `"` but no `'`; else `"…"` with every `"` doubled. A `=` in the keyword is written `==`;
 * a `null` value is written `keyword=`. Mirrors `DbConnectionStringBuilder.AppendKeyValuePair`.
 *
 * @throws {ConnectionStringError} when the keyword is empty, has control characters, leading or
 * trailing white space or a leading `;`, or when the value contains a NUL.
 */
export function appendKeyValuePair(parts: string[], keyword: string, value: string | null): void {
  if (!isValidKeyword(keyword)) {
    // The keyword is not named: an invalid one is no keyword anyone knows, and may be a secret.
    throw new ConnectionStringError(
      "Invalid keyword, contain one or more of 'no characters', 'control characters', 'leading or trailing whitespace' or 'leading semicolons'.",
      { paramName: 'keyword' },
    );
  }
  if (value !== null && value.includes('\0')) {
    throw new ConnectionStringError('The value contains embedded nulls (\\u0000).', { paramName: 'value' });
  }
  const key = keyword.replaceAll('=', '==');
  parts.push(value === null ? `${key}=` : `${key}=${quoteValue(value)}`);
}

/** How a value given to {@link DbConnectionStringBuilder.set} is stored: as ADO.NET's invariant `ToString()`. */
function toStoredString(slot: Slot, value: string | number | boolean): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
      return value ? 'True' : 'False';
    case 'number':
      return String(value);
    default:
      throw invalidValueError(slot.nameable);
  }
}

/** A stored pair: the key as printed and the raw value. */
interface Entry {
  readonly key: string;
  readonly value: string;
}

/** Where a keyword lives in the dictionary. */
interface Slot {
  readonly folded: string;
  readonly key: string;
  readonly definition: KeywordDefinition | undefined;
  /** The name errors may show: a known keyword's canonical name, else `undefined` (the key may be a secret). */
  readonly nameable: string | undefined;
}

/**
 * A dictionary of connection-string keywords that reads and writes ADO.NET connection strings.
 * Mirrors `System.Data.Common.DbConnectionStringBuilder`, with a typed layer on top.
 *
 * Without a keyword table it is the generic ADO.NET builder: any key, matched case-insensitively,
 * keys from a parsed string lower-cased, keys set by hand printed with the casing first used.
 * With a table (see {@link defineKeywords}) it is strict like a provider builder: synonyms resolve
 * to the canonical name, unknown keys and values that do not fit the keyword's type are rejected.
 *
 * `connectionString` holds everything, passwords included; `toString()`, `toJSON()` and
 * `util.inspect` print `*****` for secret keywords, so a logged builder shows no password.
 *
 * ```ts
 * const builder = new DbConnectionStringBuilder('Server=db;PWD=s3cret;Max Pool Size=10', PG_KEYWORDS);
 * builder.getInteger('max pool size'); // 10
 * `${builder}`;                         // 'Host=db;Password=*****;Max Pool Size=10'
 * ```
 */
export class DbConnectionStringBuilder {
  /** Appends one pair as ADO.NET does; see {@link appendKeyValuePair}. */
  static appendKeyValuePair(parts: string[], keyword: string, value: string | null): void {
    appendKeyValuePair(parts, keyword, value);
  }

  // Keyed by the folded keyword; Map order is the order keywords were first set, as in .NET.
  readonly #entries = new Map<string, Entry>();
  readonly #keywords: Map<string, KeywordDefinition> | undefined;
  #cached: string | undefined;

  /**
   * @param connectionString parsed as by the {@link connectionString} setter.
   * @param keywords the keyword table; omit it for the generic, accept-anything builder.
   */
  constructor(connectionString?: string | null, keywords?: readonly KeywordDefinition[]) {
    this.#keywords = keywords === undefined ? undefined : indexFor(keywords);
    if (connectionString) this.connectionString = connectionString;
  }

  /**
   * The connection string, regenerated from the dictionary (passwords included, as in ADO.NET).
   * Setting it parses the text, clears the builder and adds each pair in order: the last duplicate
   * wins and `key=` removes the key. `null`/`undefined` clear it. On any error the previous content
   * is kept and the error is thrown.
   */
  get connectionString(): string {
    this.#cached ??= this.#print(false, true);
    return this.#cached;
  }
  set connectionString(text: string | null | undefined) {
    const source = text ?? '';
    const fromUrl = source !== '' && looksLikeUrl(source) ? this.urlToPairs(source) : undefined;
    const cache = fromUrl === undefined ? parsedCacheFor(this.#keywords ?? GENERIC_TABLE) : undefined;
    const known = cache?.get(source);
    if (known !== undefined) {
      this.#entries.clear();
      for (const [folded, entry] of known) this.#entries.set(folded, entry);
      this.#cached = undefined;
      return;
    }
    const pairs: ReadonlyArray<{ key: string; value: string | null; position?: number }> = fromUrl
      ? fromUrl.map(([key, value]) => ({ key, value }))
      : parseConnectionString(source);
    const previous = new Map(this.#entries);
    this.#entries.clear();
    this.#cached = undefined;
    try {
      for (const pair of pairs) {
        // The generic builder lower-cases parsed keys, as ADO.NET's parser does.
        const origin: KeywordOrigin =
          pair.position === undefined ? { kind: 'url' } : { kind: 'pair', position: pair.position };
        const slot = this.#slot(this.#keywords === undefined ? pair.key.toLowerCase() : pair.key, origin);
        if (pair.value === null) this.#entries.delete(slot.folded);
        else this.#store(slot, pair.value, pair.position);
      }
    } catch (error) {
      this.#entries.clear();
      for (const [folded, entry] of previous) this.#entries.set(folded, entry);
      throw error;
    }
    if (cache !== undefined) {
      if (cache.size >= PARSED_LIMIT) cache.delete(cache.keys().next().value!);
      cache.set(source, new Map(this.#entries));
    }
  }

  /**
   * The keyword/value pairs of a URL-form connection string (`postgres://user:pass@host/db?…`), for providers that
   * accept one; the default accepts none (the text is then parsed, and rejected, as `key=value` pairs). The pairs are
   * validated like parsed ones, and a bad URL leaves the builder unchanged.
   */
  protected urlToPairs(url: string): ReadonlyArray<readonly [string, string]> | undefined {
    void url;
    return undefined;
  }

  /** The number of keywords set. */
  get count(): number {
    return this.#entries.size;
  }

  /**
   * The raw stored value, or `undefined` when the keyword is not set.
   * @throws {ConnectionStringError} `Keyword not supported` for a key a strict builder does not know.
   */
  get(keyword: string): string | undefined {
    return this.#entries.get(this.#slot(keyword).folded)?.value;
  }

  /**
   * Sets a keyword. Booleans are stored as `True`/`False` and numbers as their decimal text, as
   * ADO.NET stores values; `null`/`undefined` removes the keyword.
   * @throws {ConnectionStringError} for an unknown keyword (strict builder), an invalid keyword
   * (generic builder), a value that does not fit the keyword's type, or a value with a NUL.
   */
  set(keyword: string, value: string | number | boolean | null | undefined): this {
    const slot = this.#slot(keyword);
    if (value === null || value === undefined) {
      this.#delete(slot.folded);
    } else {
      this.#store(slot, toStoredString(slot, value));
    }
    return this;
  }

  /** Removes a keyword; returns whether it was set. An unknown keyword is simply not set. */
  remove(keyword: string): boolean {
    const slot = this.#trySlot(keyword);
    return slot !== undefined && this.#delete(slot.folded);
  }

  /** Whether the keyword (or one of its synonyms) is set. */
  containsKey(keyword: string): boolean {
    const slot = this.#trySlot(keyword);
    return slot !== undefined && this.#entries.has(slot.folded);
  }

  /** Whether the keyword will be written to the connection string (it is set). Mirrors `ShouldSerialize`. */
  shouldSerialize(keyword: string): boolean {
    return this.containsKey(keyword);
  }

  /** Removes every keyword. */
  clear(): void {
    this.#entries.clear();
    this.#cached = undefined;
  }

  /** The keys as printed, in the order they were first set. */
  keys(): string[] {
    return [...this.#entries.values()].map((entry) => entry.key);
  }

  /** The `[key, raw value]` pairs as printed, secrets included, in the order they were first set. */
  entries(): Array<[string, string]> {
    return [...this.#entries.values()].map((entry) => [entry.key, entry.value]);
  }

  /**
   * Whether `other` is a builder of the same class with the same keywords (case-insensitive) and
   * the same values (case-sensitive). Mirrors `EquivalentTo`.
   */
  equivalentTo(other: DbConnectionStringBuilder | null | undefined): boolean {
    if (!(other instanceof DbConnectionStringBuilder) || other.constructor !== this.constructor) return false;
    if (other.#entries.size !== this.#entries.size) return false;
    for (const [folded, entry] of this.#entries) {
      if (other.#entries.get(folded)?.value !== entry.value) return false;
    }
    return true;
  }

  /** The definition a keyword or synonym resolves to; `undefined` when unknown or without a table. */
  keywordDefinition(keyword: string): KeywordDefinition | undefined {
    return this.#keywords?.get(foldKeyword(keyword));
  }

  /** The raw value, or the keyword's default as text (`True`/`False`, digits); `undefined` if neither. */
  getString(keyword: string): string | undefined {
    const slot = this.#slot(keyword);
    const stored = this.#entries.get(slot.folded)?.value;
    const fallback = slot.definition?.defaultValue;
    return stored ?? (fallback === undefined ? undefined : toStoredString(slot, fallback));
  }

  /** The value read as `true|yes|false|no`, or the default; `undefined` when unset without default. */
  getBoolean(keyword: string): boolean | undefined {
    return this.#typed(keyword, 'boolean', parseBooleanValue) as boolean | undefined;
  }

  /** The value read as an integer, or the default; `undefined` when unset without default. */
  getInteger(keyword: string): number | undefined {
    return this.#typed(keyword, 'integer', parseIntegerValue) as number | undefined;
  }

  /** The value in its canonical spelling from the keyword's `values`, or the default. */
  getEnum(keyword: string): string | undefined {
    const slot = this.#slot(keyword);
    if (slot.definition?.type !== 'enum') {
      throw new ConnectionStringError(
        slot.nameable === undefined
          ? 'The keyword given is not an enum keyword.'
          : `Keyword '${slot.nameable}' is not an enum keyword.`,
        slot.nameable === undefined ? { paramName: 'keyword' } : { keyword: slot.nameable },
      );
    }
    return this.#typed(keyword, 'enum', () => undefined) as string | undefined;
  }

  /** The connection string without the secret keywords (used when `Persist Security Info` is false). */
  withoutSecrets(): string {
    return this.#print(false, false);
  }

  /** The connection string with every secret value replaced by `*****`: safe to log. */
  toString(): string {
    return this.#print(true, true);
  }

  /** The redacted connection string, so `JSON.stringify` never shows a password. */
  toJSON(): string {
    return this.toString();
  }

  /** The redacted connection string, so `console.log` and `util.inspect` never show a password. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  #print(redact: boolean, includeSecrets: boolean): string {
    const parts: string[] = [];
    for (const [folded, entry] of this.#entries) {
      const secret = this.#isSecret(folded);
      if (secret && !includeSecrets) continue;
      appendKeyValuePair(parts, entry.key, secret && redact ? REDACTED : entry.value);
    }
    return parts.join(';');
  }

  #isSecret(folded: string): boolean {
    if (this.#keywords === undefined) return GENERIC_SECRETS.has(foldKeyword(folded));
    return this.#keywords.get(folded)?.secret === true;
  }

  /** Resolves a keyword or throws `Keyword not supported` (strict) / `Invalid keyword` (generic). */
  #slot(keyword: string, origin: KeywordOrigin = { kind: 'argument' }): Slot {
    if (typeof keyword !== 'string') throw new ArgumentError('Value cannot be null.', 'keyword');
    const slot = this.#trySlot(keyword);
    if (slot === undefined) throw keywordNotSupportedError(keyword, origin, this.#keywords);
    return slot;
  }

  #trySlot(keyword: string): Slot | undefined {
    if (typeof keyword !== 'string') return undefined;
    if (this.#keywords === undefined) {
      return {
        folded: keyword.toLowerCase(),
        key: keyword,
        definition: undefined,
        nameable: COMMON_INDEX.get(foldKeyword(keyword))?.name,
      };
    }
    const definition = this.#keywords.get(foldKeyword(keyword));
    return definition === undefined
      ? undefined
      : { folded: foldKeyword(definition.name), key: definition.name, definition, nameable: definition.name };
  }

  #store(slot: Slot, value: string, position?: number): void {
    try {
      // Checked now rather than when printing, so a bad key or value fails where it was set (as in .NET).
      appendKeyValuePair([], slot.key, value);
      if (slot.definition !== undefined) convertKeywordValue(slot.definition, value);
    } catch (error) {
      // Errors from a parsed string also say where the pair starts; only a known keyword is named.
      if (!(error instanceof ConnectionStringError)) throw error;
      throw new ConnectionStringError(error.message, {
        ...(slot.nameable === undefined ? { paramName: error.paramName } : { keyword: slot.nameable }),
        ...(position === undefined ? {} : { position }),
      });
    }
    // Re-setting a key keeps the casing it was first set with, as .NET's dictionary does.
    const key = this.#entries.get(slot.folded)?.key ?? slot.key;
    this.#entries.set(slot.folded, { key, value });
    this.#cached = undefined;
  }

  #delete(folded: string): boolean {
    this.#cached = undefined;
    return this.#entries.delete(folded);
  }

  /** Shared body of the typed getters: stored value or default, converted by `type`. */
  #typed(
    keyword: string,
    type: KeywordType,
    parse: (raw: string) => KeywordValue | undefined,
  ): KeywordValue | undefined {
    const slot = this.#slot(keyword);
    const definition = slot.definition;
    if (definition !== undefined && definition.type !== type) {
      throw new ConnectionStringError(`Keyword '${definition.name}' is a ${definition.type} keyword, not ${type}.`, {
        keyword: definition.name,
      });
    }
    const raw =
      this.#entries.get(slot.folded)?.value ??
      (definition?.defaultValue === undefined ? undefined : toStoredString(slot, definition.defaultValue));
    if (raw === undefined) return undefined;
    if (definition !== undefined) return convertKeywordValue(definition, raw);
    const value = parse(raw);
    if (value === undefined) throw invalidValueError(slot.nameable);
    return value;
  }
}
