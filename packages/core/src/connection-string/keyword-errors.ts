import { ConnectionStringError } from '../errors/errors.js';
import { foldKeyword } from './connection-string-keywords.js';

/**
 * Where a keyword that turned out to be unknown came from. Errors say this instead of quoting the key: an unknown
 * or malformed key is often a password that lost its `=` or its quotes (`Password:s3cret;Database=shop` has the key
 * `Password:s3cret;Database`, and `Password=correct;horse=battery` the key `horse`).
 */
export type KeywordOrigin =
  /** A pair of a parsed `key=value;` string, by the index of its first character. */
  | { readonly kind: 'pair'; readonly position: number }
  /** A query option of a URL-form connection string. */
  | { readonly kind: 'url' }
  /** A keyword passed to a builder method (`get`, `set`, the typed getters). */
  | { readonly kind: 'argument' };

function describe(origin: KeywordOrigin): string {
  switch (origin.kind) {
    case 'pair':
      return `the keyword of the pair starting at index ${origin.position}`;
    case 'url':
      return 'a query option of the URL';
    case 'argument':
      return 'the keyword given';
  }
}

/**
 * A hint that names only keywords the builder knows: the unknown key starts with one followed by a character that
 * cannot continue a keyword (a mistyped `=`), or it ends with `;` and one (a value before it needed quotes).
 */
function hint(key: string, known: ReadonlyMap<string, { readonly name: string }>): string {
  const folded = foldKeyword(key);
  let prefix = '';
  let suffix = '';
  for (const spelling of known.keys()) {
    if (
      spelling.length > prefix.length &&
      folded.startsWith(spelling) &&
      CANNOT_CONTINUE.test(folded.charAt(spelling.length))
    ) {
      prefix = spelling;
    }
    if (
      spelling.length > suffix.length &&
      folded.endsWith(spelling) &&
      folded.slice(0, -spelling.length).trimEnd().endsWith(';')
    ) {
      suffix = spelling;
    }
  }
  if (prefix !== '')
    return ` It starts with the keyword '${known.get(prefix)?.name ?? prefix}' and another character: is its '=' mistyped?`;
  if (suffix !== '')
    return ` It ends with ';' and the keyword '${known.get(suffix)?.name ?? suffix}': does the value before it need quotes?`;
  return '';
}

// A character no keyword spelling continues with: a typo for '=' such as ':' or '-'.
const CANNOT_CONTINUE = /^[^\p{L}\p{N} _]$/u;

/**
 * ADO.NET's `Keyword not supported` error, without ever quoting the unknown key (see {@link KeywordOrigin}); it may
 * name a keyword the builder knows, as a hint. `keyword` stays unset; `position` is the pair's, when parsed.
 * @internal
 */
export function keywordNotSupportedError(
  key: string,
  origin: KeywordOrigin,
  known: ReadonlyMap<string, { readonly name: string }> = new Map(),
): ConnectionStringError {
  return new ConnectionStringError(
    `Keyword not supported: ${describe(origin)} is not a keyword of this connection string (it is not repeated here, as it may hold a secret).${hint(key, known)}`,
    {
      paramName: origin.kind === 'argument' ? 'keyword' : 'connectionString',
      ...(origin.kind === 'pair' ? { position: origin.position } : {}),
    },
  );
}
