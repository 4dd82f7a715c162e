/**
 * Compares a value read from the server with the value docs/values.md expects, strictly by JS type: a `bigint` is not
 * a `number`, a `Date` compares by instant, bytes compare as bytes (a Buffer equals a Uint8Array with the same
 * bytes), plain objects and arrays compare structurally. Returns a description of the first difference, or
 * undefined when the values are the same.
 * @internal
 */
export function valueDifference(actual: unknown, expected: unknown, path = 'value'): string | undefined {
  if (expected instanceof Date) {
    if (!(actual instanceof Date)) return `${path}: expected a Date, got ${describeValue(actual)}`;
    return actual.getTime() === expected.getTime() ||
      (Number.isNaN(actual.getTime()) && Number.isNaN(expected.getTime()))
      ? undefined
      : `${path}: expected ${expected.toISOString()}, got ${describeDate(actual)}`;
  }
  if (expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array)) return `${path}: expected bytes, got ${describeValue(actual)}`;
    const same = actual.length === expected.length && actual.every((byte, index) => byte === expected[index]);
    return same ? undefined : `${path}: expected bytes [${[...expected].join(',')}], got [${[...actual].join(',')}]`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${describeValue(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} elements, got ${actual.length}`;
    for (let index = 0; index < expected.length; index += 1) {
      const difference = valueDifference(actual[index], expected[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${path}: expected an object, got ${describeValue(actual)}`;
    }
    const expectedKeys = Object.keys(expected).sort();
    const actualKeys = Object.keys(actual).sort();
    if (expectedKeys.join('\u0000') !== actualKeys.join('\u0000')) {
      return `${path}: expected keys [${expectedKeys.join(', ')}], got [${actualKeys.join(', ')}]`;
    }
    for (const key of expectedKeys) {
      const difference = valueDifference(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (difference) return difference;
    }
    return undefined;
  }
  if (typeof actual !== typeof expected)
    return `${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
  return Object.is(actual, expected) || actual === expected
    ? undefined
    : `${path}: expected ${describeValue(expected)}, got ${describeValue(actual)}`;
}

/** A value with its JS type, for failure messages. @internal */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n (bigint)`;
  if (typeof value === 'string') return `${JSON.stringify(value)} (string)`;
  if (value instanceof Date) return `${describeDate(value)} (Date)`;
  if (value instanceof Uint8Array)
    return `bytes [${[...value].slice(0, 16).join(',')}${value.length > 16 ? ',…' : ''}]`;
  if (typeof value === 'object') {
    try {
      return `${JSON.stringify(value)} (${(value as object).constructor?.name ?? 'object'})`;
    } catch {
      return String(value);
    }
  }
  return `${String(value)} (${typeof value})`;
}

function describeDate(date: Date): string {
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString();
}
