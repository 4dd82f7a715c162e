import { afterAll, inject } from 'vitest';
import { startPgbouncer, type Pgbouncer } from '@asyncdb/test-servers';
import { describeProviderConformance, notAvailable } from '@asyncdb/testkit';
import { PgProviderFactory } from '../../src/index.js';
import { pgFixture } from '../pg-fixture.js';

// The conformance suite through pgbouncer in pool_mode=transaction, in front of the run's PostgreSQL (inject('pgUrl')),
// with Server Compatibility Mode=TransactionPooler. What a transaction pooler cannot give is declared below, so those
// rows report unsupported with the reason (docs/scale-out.md#pgbouncer).
let pgbouncer: Promise<Pgbouncer> | undefined;

afterAll(async () => {
  await (await pgbouncer)?.stop();
});

const SESSION_CHANGES =
  'through pgbouncer in transaction mode the server session changes with every transaction: pg_backend_pid() is not ' +
  "the connection's, and pgbouncer answers with a BackendKeyData of its own";

describeProviderConformance({
  name: 'pg-pgbouncer',
  factory: PgProviderFactory.instance,
  connectionString: async () => {
    const upstreamUrl = inject('pgUrl');
    if (!upstreamUrl) throw new Error('no PostgreSQL was provided (inject("pgUrl") is empty)');
    pgbouncer ??= startPgbouncer({ upstreamUrl });
    const { host, port } = await pgbouncer;
    const upstream = new URL(upstreamUrl);
    const user = decodeURIComponent(upstream.username || 'postgres');
    const database = decodeURIComponent(upstream.pathname.slice(1) || user);
    const password = upstream.password ? `;Password=${decodeURIComponent(upstream.password)}` : '';
    return `Host=${host};Port=${port};Username=${user};Database=${database}${password};Server Compatibility Mode=TransactionPooler`;
  },
  fixture: {
    ...pgFixture,
    engine: 'PostgreSQL through pgbouncer (transaction mode)',
    session: notAvailable(SESSION_CHANGES),
    sessionState: notAvailable(
      'Server Compatibility Mode=TransactionPooler sends no DISCARD ALL: a SET lives on whichever server session ' +
        'ran it and must not be relied upon (pgbouncer even re-applies a tracked setting such as TimeZone)',
    ),
  },
  serverHint:
    'pgbouncer must be installed (apt-get install pgbouncer, or ASYNCDB_PGBOUNCER), in front of ASYNCDB_PG_URL or the embedded PostgreSQL.',
});
