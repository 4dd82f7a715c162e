import { POSTGRES_GLOBAL_SETUP } from '@asyncdb/test-servers';
import { sharedVitestConfig } from '../../vitest.shared.js';

// One PostgreSQL per run: ASYNCDB_PG_URL when set, else an embedded one (provided to tests as inject('pgUrl')).
export default sharedVitestConfig({ globalSetup: [POSTGRES_GLOBAL_SETUP] });
