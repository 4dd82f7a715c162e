import { sharedVitestConfig } from '../../vitest.shared.ts';
// A relative import, not '@asyncdb/test-servers': vite loads config files without the
// '@asyncdb/source' condition, so the package name would resolve to dist/ (absent or stale).
import { MYSQL_GLOBAL_SETUP, POSTGRES_GLOBAL_SETUP } from './src/index.js';

export default sharedVitestConfig({ globalSetup: [POSTGRES_GLOBAL_SETUP, MYSQL_GLOBAL_SETUP] });
