import { inject } from 'vitest';
import type {} from '@asyncdb/test-servers';
import { describeProviderConformance, notAvailable } from '@asyncdb/testkit';
import { PgConnectionStringBuilder, PgProviderFactory } from '../../src/index.js';
import { pgFixture } from '../pg-fixture.js';

// The conformance suite with Multiplexing=true against the run's PostgreSQL (inject('pgUrl')): open connections
// share a few physical sessions and pipeline their commands (docs/multiplexing.md). What multiplexing gives up by
// design is declared below, so those rows report unsupported with the reason; every other row must pass as on pg.
describeProviderConformance({
  name: 'pg-multiplexing',
  factory: PgProviderFactory.instance,
  connectionString: () => {
    const url = inject('pgUrl');
    if (!url) throw new Error('no PostgreSQL was provided (inject("pgUrl") is empty)');
    const builder = new PgConnectionStringBuilder(url);
    builder.set('Multiplexing', true);
    return builder.connectionString;
  },
  fixture: {
    ...pgFixture,
    engine: 'PostgreSQL (Multiplexing=true)',
    session: notAvailable(
      'with Multiplexing=true a connection has no backend of its own: connection.sessionId is undefined and each ' +
        'command runs on whichever shared session is least busy, so no other connection can watch or end "its" session',
    ),
    sessionState: notAvailable(
      'with Multiplexing=true a SET runs on a session shared with other connections and the next command may run on ' +
        'another one: session state must not be used outside a transaction, and there is no per-connection reset',
    ),
    sessionPerConnection: notAvailable(
      'with Multiplexing=true open() takes no session (after the first open of a connection string): a full pool ' +
        'never makes open() wait or time out, and a closed connection has no session to give back to the pool',
    ),
  },
  serverHint:
    'Set ASYNCDB_PG_URL (e.g. postgres://postgres@127.0.0.1:5432/test), or let the POSTGRES_GLOBAL_SETUP of @asyncdb/test-servers start an embedded PostgreSQL (packages/provider-pg/vitest.config.ts).',
});
