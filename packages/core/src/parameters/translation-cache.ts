import type { DbParameterCollection } from '../contracts/db-parameter-collection.js';
import type { ProviderCapabilities } from '../providers/provider-capabilities.js';
import type { BoundParameter, StatementRequest } from '../providers/provider-spi.js';
import { translatePlaceholders } from './translate-placeholders.js';
import { BoundStatement } from '../execution/bound-request-parts.js';
import { assertWellFormedCommandText } from '../values/lone-surrogate.js';

/** One translated statement, its markers bound by position in the command's parameter collection. */
interface CachedStatement {
  readonly text: string;
  /** The collection index of the parameter each native marker binds, in marker order. */
  readonly indices: readonly number[];
  /** The ready request of a statement that binds no parameter: shared by every execution (it holds no value). */
  readonly shared: StatementRequest | undefined;
}

/** A translation of one text, valid for the options and the parameter names it was made with. */
interface CachedTranslation {
  readonly style: ProviderCapabilities['placeholderStyle'];
  readonly dialect: ProviderCapabilities['sqlDialect'];
  readonly split: boolean;
  readonly unknownParameters: ProviderCapabilities['unknownParameters'];
  /** The parameters' names, in collection order, when the text was translated. */
  readonly names: readonly string[];
  readonly statements: readonly CachedStatement[];
  /** When every statement binds no parameter: their shared requests, one frozen array for every execution. */
  readonly shared: readonly StatementRequest[] | undefined;
}

/** Translations per capabilities object, by command text. */
const CACHE = new WeakMap<ProviderCapabilities, Map<string, CachedTranslation>>();
/** Distinct texts remembered per provider; past it the oldest is dropped (an application runs a bounded set of texts). */
export const TRANSLATION_CACHE_LIMIT = 512;
/** Longer texts are translated every time: caching them would hold large strings for little gain. */
export const TRANSLATION_CACHE_MAX_TEXT = 16_384;

/** The bound parameters of a statement or command that binds none: one frozen array shared by all. @internal */
export const NO_PARAMETERS: readonly BoundParameter[] = Object.freeze([]);

/**
 * The statements of a `Text` command: `@name` references translated to the provider's markers (see
 * {@link translatePlaceholders}), each bound to its snapshot in `bound` (the snapshots of `collection`, in its
 * order). The translation is cached per (text, parameter names, placeholder options), so running the same SQL again
 * neither lexes it nor builds a name map; a statement without parameters is one shared object. Errors (an unknown
 * reference, an unterminated literal) are thrown every time and never cached.
 * @internal
 */
export function translatedStatements(
  text: string,
  collection: DbParameterCollection,
  bound: readonly BoundParameter[],
  capabilities: ProviderCapabilities,
): readonly StatementRequest[] {
  const translation = cachedTranslation(text, collection, bound, capabilities);
  if (translation.shared !== undefined) return translation.shared;
  const statements: StatementRequest[] = new Array<StatementRequest>(translation.statements.length);
  for (let s = 0; s < statements.length; s++) {
    const statement = translation.statements[s]!;
    if (statement.shared !== undefined) {
      statements[s] = statement.shared;
      continue;
    }
    const indices = statement.indices;
    const parameters = new Array<BoundParameter>(indices.length);
    for (let i = 0; i < indices.length; i++) parameters[i] = bound[indices[i]!]!;
    statements[s] = new BoundStatement(statement.text, parameters);
  }
  return statements;
}

function cachedTranslation(
  text: string,
  collection: DbParameterCollection,
  bound: readonly BoundParameter[],
  capabilities: ProviderCapabilities,
): CachedTranslation {
  if (text.length > TRANSLATION_CACHE_MAX_TEXT) return translate(text, collection, bound, capabilities);
  // The last text translated (a loop, a pool running one query): two reference compares, no lookups.
  const last = lastTranslation;
  if (last !== undefined && text === lastText && capabilities === lastCapabilities && fits(last, bound, capabilities))
    return last;
  let byText = CACHE.get(capabilities);
  if (byText === undefined) {
    byText = new Map();
    CACHE.set(capabilities, byText);
  }
  const known = byText.get(text);
  if (known !== undefined && fits(known, bound, capabilities)) return remember(text, capabilities, known);
  const translation = translate(text, collection, bound, capabilities);
  if (known === undefined && byText.size >= TRANSLATION_CACHE_LIMIT) byText.delete(byText.keys().next().value!);
  byText.set(text, translation);
  return remember(text, capabilities, translation);
}

/** The translation {@link cachedTranslation} returned last, and for what. */
let lastText: string | undefined;
let lastCapabilities: ProviderCapabilities | undefined;
let lastTranslation: CachedTranslation | undefined;

function remember(text: string, capabilities: ProviderCapabilities, translation: CachedTranslation): CachedTranslation {
  lastText = text;
  lastCapabilities = capabilities;
  lastTranslation = translation;
  return translation;
}

/** Whether a cached translation was made with these options and these parameter names (in this order). */
function fits(known: CachedTranslation, bound: readonly BoundParameter[], capabilities: ProviderCapabilities): boolean {
  if (
    known.style !== capabilities.placeholderStyle ||
    known.dialect !== capabilities.sqlDialect ||
    known.split !== capabilities.splitStatements ||
    known.unknownParameters !== capabilities.unknownParameters ||
    known.names.length !== bound.length
  ) {
    return false;
  }
  for (let i = 0; i < bound.length; i++) if (known.names[i] !== bound[i]!.name) return false;
  return true;
}

function translate(
  text: string,
  collection: DbParameterCollection,
  bound: readonly BoundParameter[],
  capabilities: ProviderCapabilities,
): CachedTranslation {
  // Checked here, once per text the cache meets (a cached text was checked), not on every execution.
  assertWellFormedCommandText(text);
  // Names are unique in a collection (case-insensitively), and `bound` is the collection in order.
  const indexByName = new Map<string, number>();
  bound.forEach((parameter, index) => indexByName.set(parameter.name, index));
  const translated = translatePlaceholders(text, {
    style: capabilities.placeholderStyle,
    dialect: capabilities.sqlDialect,
    split: capabilities.splitStatements,
    unknownParameters: capabilities.unknownParameters,
    resolve: (name) => {
      const index = collection.indexOf(name);
      return index < 0 ? undefined : collection.get(index).normalizedName;
    },
  });
  const statements = translated.map((statement): CachedStatement => {
    const indices = statement.parameterNames.map((name) => indexByName.get(name)!);
    const shared =
      indices.length === 0 ? Object.freeze({ text: statement.text, parameters: NO_PARAMETERS }) : undefined;
    return { text: statement.text, indices, shared };
  });
  const allShared = statements.every((statement) => statement.shared !== undefined);
  return {
    style: capabilities.placeholderStyle,
    dialect: capabilities.sqlDialect,
    split: capabilities.splitStatements,
    unknownParameters: capabilities.unknownParameters,
    names: bound.map((parameter) => parameter.name),
    statements,
    shared: allShared ? Object.freeze(statements.map((statement) => statement.shared!)) : undefined,
  };
}
