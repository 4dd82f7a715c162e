import { ArgumentError } from '../errors/errors.js';

/** `String.prototype.isWellFormed` (Node 20; not yet in the es2023 lib this package compiles against). */
const isWellFormed = (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed;

/** The index of the first lone UTF-16 surrogate in `text`, or -1 when it is well formed. */
function loneSurrogateIndex(text: string): number {
  if (isWellFormed.call(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return i;
  }
  return -1;
}

function loneSurrogateError(parameterName: string, text: string, index: number, where: string): ArgumentError {
  const unit = text.charCodeAt(index).toString(16).toUpperCase();
  return new ArgumentError(
    `The parameter '@${parameterName}' holds a string with a lone UTF-16 surrogate (U+${unit} at index ${index}${where}): it has no UTF-8 form, and the driver would send U+FFFD instead, changing the data. Nothing was sent.`,
    parameterName,
  );
}

/**
 * Refuses a string parameter, or a string (value or key) inside an object/array parameter sent as JSON, that holds a
 * lone UTF-16 surrogate: every driver encodes text as UTF-8, where a lone surrogate silently becomes U+FFFD.
 * @throws {ArgumentError} naming the parameter and the position, before anything is sent.
 * @internal
 */
export function assertNoLoneSurrogate(value: unknown, parameterName: string): void {
  if (typeof value === 'string') {
    const index = loneSurrogateIndex(value);
    if (index >= 0) throw loneSurrogateError(parameterName, value, index, '');
    return;
  }
  if (typeof value === 'object' && value !== null) checkJson(value, parameterName, '', new Set());
}

/** Walks what `JSON.stringify` would print (own enumerable keys, array items, `toJSON` not called). */
function checkJson(value: object, parameterName: string, path: string, seen: Set<object>): void {
  if (seen.has(value)) return;
  seen.add(value);
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const keyIndex = Array.isArray(value) ? -1 : loneSurrogateIndex(key);
    if (keyIndex >= 0) throw loneSurrogateError(parameterName, key, keyIndex, ` in a key at ${path || 'the top'}`);
    const itemPath = Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`;
    if (typeof item === 'string') {
      const index = loneSurrogateIndex(item);
      if (index >= 0) throw loneSurrogateError(parameterName, item, index, ` of the JSON value at ${itemPath}`);
    } else if (typeof item === 'object' && item !== null && !(item instanceof Date) && !(item instanceof Uint8Array)) {
      checkJson(item, parameterName, itemPath, seen);
    }
  }
}

/**
 * Refuses command text (SQL, or a procedure name) holding a lone UTF-16 surrogate: the driver would send U+FFFD in
 * its place, so a literal in the text would silently store or compare different data (the same rule as for string
 * parameters, issue 13 item 6).
 * @throws {ArgumentError} (`paramName` `commandText`) naming the position, before anything is sent.
 * @internal
 */
export function assertWellFormedCommandText(text: string): void {
  const index = loneSurrogateIndex(text);
  if (index < 0) return;
  const unit = text.charCodeAt(index).toString(16).toUpperCase();
  throw new ArgumentError(
    `The command text holds a lone UTF-16 surrogate (U+${unit} at index ${index}): it has no UTF-8 form, and the driver would send U+FFFD instead, changing the SQL. Nothing was sent.`,
    'commandText',
  );
}
