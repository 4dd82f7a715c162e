import type { PgConnectionStringBuilder } from './pg-connection-string-builder.js';

/** No password: one shared empty list rather than a new one per call. */
const NO_SECRETS: readonly string[] = Object.freeze([]);

/**
 * What `toDbError` blanks out of error messages for a connection string: its password, when it has one.
 * @internal
 */
export function pgSecrets(builder: PgConnectionStringBuilder): readonly string[] {
  const password = builder.getString('Password');
  return password === undefined || password === '' ? NO_SECRETS : [password];
}
