// A relative import: vite loads config files without the @asyncdb/source condition (see packages/test-servers/README.md).
import { POSTGRES_GLOBAL_SETUP } from '../test-servers/src/index.js';
import { sharedVitestConfig } from '../../vitest.shared.ts';

// One PostgreSQL per run: ASYNCDB_PG_URL when set, else an embedded one (provided to tests as inject('pgUrl')).
export default sharedVitestConfig({ globalSetup: [POSTGRES_GLOBAL_SETUP] });
