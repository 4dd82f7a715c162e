import { sharedVitestConfig } from '../../vitest.shared.ts';
// Relative, not '@asyncdb/test-servers': vite loads config files without the '@asyncdb/source'
// condition (see packages/test-servers/README.md).
import { POSTGRES_GLOBAL_SETUP } from '../test-servers/src/index.js';

// One PostgreSQL per run for the engine's tests: ASYNCDB_PG_URL, else an embedded server (inject('pgUrl')).
export default sharedVitestConfig({ globalSetup: [POSTGRES_GLOBAL_SETUP] });
