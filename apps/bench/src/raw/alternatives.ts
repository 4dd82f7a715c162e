import type { BenchSubject } from '../run/subject.js';
import type { Endpoint } from '../servers/endpoint.js';
import { createPgPipelineSubject } from './pg-pipeline.js';
import { createPostgresJsSubject } from './postgres-js.js';

/**
 * The other clients a user could pick instead of asyncdb for `endpoint`'s engine, measured in the same run as asyncdb
 * and the raw driver (issue 12): on PostgreSQL, `pg` in pipeline mode and postgres.js. None for the other engines.
 */
export function createAlternativeSubjects(endpoint: Endpoint, poolSize: number): BenchSubject[] {
  switch (endpoint.provider) {
    case 'pg':
      return [createPgPipelineSubject(endpoint, poolSize), createPostgresJsSubject(endpoint, poolSize)];
    default:
      return [];
  }
}
