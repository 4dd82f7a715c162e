import { ConnectionStringError } from '../errors/errors.js';

/** How a keyword's value is read and validated. */
export type KeywordType = 'string' | 'boolean' | 'integer' | 'enum';

/**
 * One keyword a {@link DbConnectionStringBuilder} understands. A provider's table is the common
 * table plus its own, merged with {@link defineKeywords}.
 */
export interface KeywordDefinition {
  /** The canonical name, as printed in connection strings: `'Max Pool Size'`. */
  readonly name: string;
  /** Other spellings accepted on input (case-insensitive); they resolve to {@link name}. */
  readonly synonyms?: readonly string[];
  /** How the value is validated and what the typed accessors return. */
  readonly type: KeywordType;
  /** The value the typed accessors return when the keyword is not set. */
  readonly defaultValue?: string | number | boolean;
  /** For `enum`: the canonical spellings, matched case-insensitively. */
  readonly values?: readonly string[];
  /** For `integer`: the smallest accepted value. */
  readonly min?: number;
  /** For `integer`: the largest accepted value. */
  readonly max?: number;
  /** Password-like: redacted by `toString()` and dropped by `withoutSecrets()`. */
  readonly secret?: boolean;
  /** One line for documentation and tooling. */
  readonly description?: string;
  /**
   * For `string`: checks the value's own syntax (a host list, say) when it is set or parsed, so a bad value fails
   * there like any other invalid value; throws a `ConnectionStringError` naming the problem (and its position).
   */
  readonly validate?: (value: string) => void;
}

/** The value of a keyword once converted by its type. */
export type KeywordValue = string | number | boolean;

/**
 * The largest `Connect Timeout`, `Command Timeout` and `DbCommand.commandTimeout` in seconds: `Int32.MaxValue`, as in
 * ADO.NET. Timeouts that long are waited in full (chained timers), never cut short.
 */
export const MAX_TIMEOUT_SECONDS = 2_147_483_647;

/**
 * The keywords core handles for every provider (docs/connection-strings.md). Providers merge them into their own
 * table: `defineKeywords(COMMON_KEYWORDS, PG_KEYWORDS)`.
 */

export const COMMON_KEYWORDS: readonly KeywordDefinition[] = Object.freeze(
  (
    [
      {
        name: 'Asynchronous Processing',
        synonyms: ['async'],
        type: 'boolean',
        defaultValue: false,
        description: 'Enables the Begin/End (APM) methods, as in ADO.NET 2.0. The Promise methods work either way.',
      },
      { name: 'Pooling', type: 'boolean', defaultValue: true, description: 'Whether connections are pooled.' },
      {
        name: 'Min Pool Size',
        type: 'integer',
        min: 0,
        defaultValue: 0,
        description: 'Connections kept open in the pool.',
      },
      {
        name: 'Max Pool Size',
        type: 'integer',
        min: 1,
        defaultValue: 100,
        description: 'Most connections the pool opens.',
      },
      {
        name: 'Connect Timeout',
        synonyms: ['Connection Timeout', 'Timeout'],
        type: 'integer',
        min: 0,
        // Int32.MaxValue seconds, as ADO.NET; core's timers wait that long (longer than one Node timer holds).
        max: MAX_TIMEOUT_SECONDS,
        defaultValue: 15,
        description: 'Seconds to wait for a connection (0 = no limit).',
      },
      {
        name: 'Command Timeout',
        synonyms: ['Default Command Timeout'],
        type: 'integer',
        min: 0,
        // Int32.MaxValue seconds, as ADO.NET; core's timers wait that long (longer than one Node timer holds).
        max: MAX_TIMEOUT_SECONDS,
        defaultValue: 30,
        description: 'Default DbCommand.commandTimeout in seconds (0 = no limit).',
      },
      { name: 'Application Name', synonyms: ['App'], type: 'string', description: 'Reported to the server.' },
      {
        name: 'Persist Security Info',
        synonyms: ['PersistSecurityInfo'],
        type: 'boolean',
        defaultValue: false,
        description: 'Whether DbConnection.connectionString keeps the password once the connection is open.',
      },
      { name: 'Password', synonyms: ['PWD'], type: 'string', secret: true, description: 'The password.' },
    ] satisfies KeywordDefinition[]
  ).map((definition) => Object.freeze(definition)),
);

/** Folds a keyword for lookup: case-insensitive, blind to surrounding white space. @internal */
export function foldKeyword(keyword: string): string {
  return keyword.trim().toLowerCase();
}

/**
 * The `Invalid value for key '…'.` error of ADO.NET (which prints the key in lower case). Only a known keyword is
 * named (`undefined` for any other: it may be a secret); the value never is.
 */
export function invalidValueError(definitionName: string | undefined): ConnectionStringError {
  if (definitionName === undefined)
    return new ConnectionStringError('Invalid value for the keyword given.', { paramName: 'value' });
  return new ConnectionStringError(`Invalid value for key '${definitionName.toLowerCase()}'.`, {
    keyword: definitionName,
  });
}

/**
 * Reads `true|yes|false|no` (case-insensitive, surrounding white space ignored), as ADO.NET's
 * `ConvertValueToBoolean` does; `undefined` for anything else.
 */
export function parseBooleanValue(raw: string): boolean | undefined {
  const folded = raw.trim().toLowerCase();
  if (folded === 'true' || folded === 'yes') return true;
  if (folded === 'false' || folded === 'no') return false;
  return undefined;
}

/** Reads an optionally signed run of decimal digits (white space around ignored); `undefined` otherwise. */
export function parseIntegerValue(raw: string): number | undefined {
  const trimmed = raw.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * Converts a raw connection-string value by its definition's type: `boolean` → boolean, `integer`
 * → number within `min`/`max`, `enum` → the canonical spelling, `string` → unchanged.
 *
 * @throws {ConnectionStringError} `Invalid value for key '…'.` when the value does not fit.
 */
export function convertKeywordValue(definition: KeywordDefinition, raw: string): KeywordValue {
  switch (definition.type) {
    case 'string':
      definition.validate?.(raw);
      return raw;
    case 'boolean': {
      const value = parseBooleanValue(raw);
      if (value === undefined) throw invalidValueError(definition.name);
      return value;
    }
    case 'integer': {
      const value = parseIntegerValue(raw);
      const tooSmall = definition.min !== undefined && value !== undefined && value < definition.min;
      const tooLarge = definition.max !== undefined && value !== undefined && value > definition.max;
      if (value === undefined) throw invalidValueError(definition.name);
      if (tooSmall || tooLarge) {
        // The range is named (not the value: a malformed string can put part of a password in it).
        const error = invalidValueError(definition.name);
        const range =
          definition.max === undefined
            ? `at least ${definition.min}`
            : definition.min === undefined
              ? `at most ${definition.max}`
              : `from ${definition.min} to ${definition.max}`;
        throw new ConnectionStringError(`${error.message} Expected an integer ${range}.`, {
          keyword: definition.name,
        });
      }
      return value;
    }
    case 'enum': {
      const folded = raw.trim().toLowerCase();
      const match = definition.values?.find((candidate) => candidate.toLowerCase() === folded);
      if (match === undefined) throw invalidValueError(definition.name);
      return match;
    }
  }
}

/** Whether a keyword can be written in a connection string (ADO.NET's `ConnectionStringValidKeyRegex`). @internal */
export function isValidKeyword(keyword: string): boolean {
  return /^(?![;\t-\r\x85\p{Z}])[^\p{Cc}]+(?<![\t-\r\x85\p{Z}])$/u.test(keyword);
}

function definitionError(message: string, keyword: string): ConnectionStringError {
  return new ConnectionStringError(message, { keyword });
}

/** Checks one definition so that a bad table fails where it is written, not at the user's first connect. */
function checkDefinition(definition: KeywordDefinition): void {
  for (const spelling of [definition.name, ...(definition.synonyms ?? [])]) {
    if (!isValidKeyword(spelling)) throw definitionError(`Invalid keyword name '${spelling}'.`, spelling);
  }
  if (definition.type === 'enum' && (definition.values === undefined || definition.values.length === 0)) {
    throw definitionError(`Keyword '${definition.name}' is an enum without values.`, definition.name);
  }
  if (definition.defaultValue !== undefined) {
    const raw =
      typeof definition.defaultValue === 'boolean' ? String(definition.defaultValue) : `${definition.defaultValue}`;
    try {
      convertKeywordValue(definition, raw);
    } catch {
      throw definitionError(`Default value of keyword '${definition.name}' does not fit its type.`, definition.name);
    }
  }
}

/**
 * Indexes a keyword table by every folded spelling (name and synonyms).
 *
 * @throws {ConnectionStringError} when two definitions claim the same spelling or one is malformed.
 * @internal
 */
export function indexKeywords(definitions: readonly KeywordDefinition[]): Map<string, KeywordDefinition> {
  const index = new Map<string, KeywordDefinition>();
  for (const definition of definitions) {
    checkDefinition(definition);
    for (const spelling of [definition.name, ...(definition.synonyms ?? [])]) {
      const folded = foldKeyword(spelling);
      const owner = index.get(folded);
      if (owner !== undefined && owner !== definition) {
        throw definitionError(
          `Keyword '${spelling}' of '${definition.name}' is already defined by '${owner.name}'.`,
          spelling,
        );
      }
      index.set(folded, definition);
    }
  }
  return index;
}

/**
 * Merges keyword tables into one, checking them as it goes.
 *
 * ```ts
 * const PG_KEYWORDS = defineKeywords(COMMON_KEYWORDS, [{ name: 'Host', synonyms: ['Server'], type: 'string' }]);
 * ```
 *
 * @throws {ConnectionStringError} when two definitions claim the same name or synonym (case-insensitive),
 * a name is not a valid keyword, an enum has no values, or a default does not fit its type.
 */
export function defineKeywords(...lists: ReadonlyArray<readonly KeywordDefinition[]>): readonly KeywordDefinition[] {
  // The same definition object listed twice is one definition, not a clash.
  const merged = [...new Set(lists.flat())];
  indexKeywords(merged);
  return Object.freeze(merged);
}
