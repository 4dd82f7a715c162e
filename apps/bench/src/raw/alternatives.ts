import type { BenchSubject } from '../run/subject.js';
import type { Endpoint } from '../servers/endpoint.js';
import { createPgPipelineSubject } from './pg-pipeline.js';
import { createPostgresJsSubject } from './postgres-js.js';
import { createSqliteSyncSubject } from './sqlite.js';

/**
 * The other clients a user could pick instead of asyncdb for `endpoint`'s engine, measured in the same run as asyncdb
 * and the raw driver (issue 12): on PostgreSQL, `pg` in pipeline mode and postgres.js; on SQLite, libsql's synchronous
 * API on the main thread (the floor: it blocks the event loop). None for the other engines.
 */
export function createAlternativeSubjects(endpoint: Endpoint, poolSize: number): BenchSubject[] {
  switch (endpoint.provider) {
    case 'pg':
      return [createPgPipelineSubject(endpoint, poolSize), createPostgresJsSubject(endpoint, poolSize)];
    case 'sqlite':
      return [createSqliteSyncSubject(endpoint)];
    default:
      return [];
  }
}
