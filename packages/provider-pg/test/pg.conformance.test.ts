import { inject } from 'vitest';
import type {} from '@asyncdb/test-servers';
import { describeProviderConformance } from '@asyncdb/testkit';
import { PgProviderFactory } from '../src/index.js';
import { pgFixture } from './pg-fixture.js';

// The asyncdb conformance suite (docs/architecture.md#the-testkit) against a real PostgreSQL: ASYNCDB_PG_URL when set, else the
// embedded server the global setup of vitest.config.ts starts and provides as inject('pgUrl').
describeProviderConformance({
  name: 'pg',
  factory: PgProviderFactory.instance,
  connectionString: () => {
    const url = inject('pgUrl');
    if (!url) throw new Error('no PostgreSQL was provided (inject("pgUrl") is empty)');
    return url;
  },
  fixture: pgFixture,
  serverHint:
    'Set ASYNCDB_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test), or let the POSTGRES_GLOBAL_SETUP of @asyncdb/test-servers start an embedded PostgreSQL (packages/provider-pg/vitest.config.ts).',
});
