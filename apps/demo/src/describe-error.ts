import { DbError } from '@asyncdb/core';

/**
 * One readable paragraph about an error: `Name: message`, the database facts a DbError carries, and the chain
 * of causes (a driver's own message often says what the wrapper does not).
 */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error; current !== undefined && !seen.has(current);) {
    seen.add(current);
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    const facts = current instanceof DbError ? dbFacts(current) : '';
    const text = `${current.name}: ${current.message}${facts}`;
    // A wrapper often repeats its cause's message; print it once.
    if (!parts.some((part) => part.includes(current instanceof Error ? current.message : ''))) parts.push(text);
    current = current.cause;
  }
  return parts.join('\n  caused by ');
}

function dbFacts(error: DbError): string {
  const facts = [
    error.category !== 'other' ? `category ${error.category}` : '',
    error.sqlState ? `SQLSTATE ${error.sqlState}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return facts ? ` (${facts})` : '';
}
