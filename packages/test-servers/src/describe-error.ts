import { REDACTED } from './redact-url.js';

/**
 * A one-line description of why a connection attempt failed, for an error message, with each of
 * `secrets` blanked out in case a driver echoes one. Node reports a refused connection to a name
 * with several addresses as an `AggregateError` with an empty message, so its parts are listed.
 */
export function describeError(error: unknown, secrets: readonly string[] = []): string {
  let text: string;
  if (error instanceof AggregateError && error.message === '') {
    text = error.errors.map((inner) => describeError(inner)).join('; ');
  } else if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    text = error.message || (typeof code === 'string' ? code : error.name);
  } else {
    text = String(error);
  }
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join(REDACTED);
  return text;
}

/** The decoded password in `url`, or `''` when there is none or `url` is not a URL. */
export function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}
