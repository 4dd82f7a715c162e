import { createAsyncdbSubject } from '../asyncdb/asyncdb-subject.js';
import { createRawSubject } from '../raw/raw-drivers.js';
import type { BenchSubject } from '../run/subject.js';
import type { Endpoint } from '../servers/endpoint.js';

/** asyncdb and the raw driver of one provider. */
export interface SubjectPair {
  readonly asyncdb: BenchSubject;
  readonly raw: BenchSubject;
}

/** asyncdb and the raw driver for one endpoint, both with pools of `poolSize`. */
export function subjectPair(endpoint: Endpoint, poolSize: number): SubjectPair {
  return { asyncdb: createAsyncdbSubject(endpoint, poolSize), raw: createRawSubject(endpoint, poolSize) };
}

/** Runs `body` with both subjects and disposes of them (their pools) afterwards, whatever happens. */
export async function withSubjects<T>(
  endpoint: Endpoint,
  poolSize: number,
  body: (subjects: SubjectPair) => Promise<T>,
): Promise<T> {
  const subjects = subjectPair(endpoint, poolSize);
  try {
    return await body(subjects);
  } finally {
    await Promise.allSettled([subjects.asyncdb.dispose(), subjects.raw.dispose()]);
  }
}
