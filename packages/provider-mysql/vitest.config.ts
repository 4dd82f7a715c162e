import { sharedVitestConfig } from '../../vitest.shared.ts';
// Relative, not '@asyncdb/test-servers': vite loads config files without the source condition (see its README).
import { MYSQL_GLOBAL_SETUP } from '../test-servers/src/index.js';

export default sharedVitestConfig({ globalSetup: [MYSQL_GLOBAL_SETUP], testTimeout: 30_000 });
