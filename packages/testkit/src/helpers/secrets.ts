import { inspect } from 'node:util';

/**
 * Every text an error shows when logged: message, `toString()`, stack, `util.inspect` of the error with its
 * `cause` chain and own properties (what a logger prints), and `JSON.stringify` (what a JSON logger prints).
 * @internal
 */
export function errorTexts(error: unknown): string[] {
  const texts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    if (current instanceof Error) texts.push(current.message, String(current), current.stack ?? '');
    else texts.push(String(current));
    current = (current as { cause?: unknown }).cause;
  }
  texts.push(inspect(error, { depth: 6 }));
  try {
    texts.push(JSON.stringify(error) ?? '');
  } catch {
    // A cause chain JSON cannot print (a cycle, a BigInt) is printed by inspect above.
  }
  return texts;
}

/** The first text of `error` that contains `secret`, or undefined when none does. @internal */
export function findSecret(error: unknown, secret: string): string | undefined {
  if (secret === '') return undefined;
  return errorTexts(error).find((text) => text.includes(secret));
}
