import { createAsyncdbSubject } from '../asyncdb/asyncdb-subject.js';
import { createAlternativeSubjects } from '../raw/alternatives.js';
import { createRawSubject } from '../raw/raw-drivers.js';
import type { BenchSubject } from '../run/subject.js';
import type { Endpoint } from '../servers/endpoint.js';

/** asyncdb, the raw driver of one provider, and the other clients a user could pick instead (maybe none). */
export interface SubjectPair {
  readonly asyncdb: BenchSubject;
  readonly raw: BenchSubject;
  /** Other baselines measured in the same run (pg: `pg` pipeline mode, postgres.js); their names are unique. */
  readonly alternatives: readonly BenchSubject[];
}

/** asyncdb, the raw driver and the alternatives for one endpoint, all with pools of `poolSize`. */
export function subjectPair(endpoint: Endpoint, poolSize: number): SubjectPair {
  return {
    asyncdb: createAsyncdbSubject(endpoint, poolSize),
    raw: createRawSubject(endpoint, poolSize),
    alternatives: createAlternativeSubjects(endpoint, poolSize),
  };
}

/**
 * The sides to {@link alternate}, keyed 'asyncdb', 'raw', then each alternative's name — the order they take turns
 * in — each made by `side` from its subject.
 */
export function sidesOf<T>(subjects: SubjectPair, side: (subject: BenchSubject) => () => Promise<T>): Record<string, () => Promise<T>> {
  return {
    asyncdb: side(subjects.asyncdb),
    raw: side(subjects.raw),
    ...Object.fromEntries(subjects.alternatives.map((subject) => [subject.name, side(subject)])),
  };
}

/** Runs `body` with every subject and disposes of them (their pools) afterwards, whatever happens. */
export async function withSubjects<T>(
  endpoint: Endpoint,
  poolSize: number,
  body: (subjects: SubjectPair) => Promise<T>,
): Promise<T> {
  const subjects = subjectPair(endpoint, poolSize);
  try {
    return await body(subjects);
  } finally {
    await Promise.allSettled([subjects.asyncdb, subjects.raw, ...subjects.alternatives].map((subject) => subject.dispose()));
  }
}
