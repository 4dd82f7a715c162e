import { DbError, DbErrorCategory } from '@asyncdb/core';
import { ToyEngineError } from './toy-engine.js';

/** The engine's codes → core's portable categories (a real provider switches on SQLSTATE or error numbers here). */
const CATEGORIES: Readonly<Record<string, DbErrorCategory>> = {
  SYNTAX: DbErrorCategory.SyntaxError,
  UNIQUE: DbErrorCategory.UniqueViolation,
  DEADLOCK: DbErrorCategory.Deadlock,
  INTERRUPTED: DbErrorCategory.QueryCanceled,
  CLOSED: DbErrorCategory.ConnectionFailure,
};

/**
 * Converts whatever the engine throws into a {@link DbError}: the engine's error stays as `cause`, its code becomes
 * `providerCode`, and `isTransient` follows from the category (deadlocks and lost connections are worth a retry).
 * Errors core raised itself (an abort, a timeout) are none of the converter's business: core replaces whatever the
 * provider rejects with after an abort by the right typed error.
 */
export function toDbError(error: unknown): Error {
  if (error instanceof ToyEngineError) {
    return new DbError(error.message, {
      cause: error,
      providerCode: error.code,
      category: CATEGORIES[error.code] ?? DbErrorCategory.Other,
      providerName: 'toy',
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
