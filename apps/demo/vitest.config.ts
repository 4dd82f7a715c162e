import { sharedVitestConfig } from '../../vitest.shared.ts';
// Relative, not '@asyncdb/test-servers': vite loads config files without the source condition (see its README).
import { MYSQL_GLOBAL_SETUP } from '../../packages/test-servers/src/index.js';

// One embedded PostgreSQL for all the demo's tests, with the dataset loaded (test/demo-database.global-setup.ts),
// and the MySQL/MariaDB the CLI test runs the same scenarios on (ASYNCDB_MYSQL_URL, else root@127.0.0.1:3306/test).
export default sharedVitestConfig({
  globalSetup: ['./test/demo-database.global-setup.ts', MYSQL_GLOBAL_SETUP],
  testTimeout: 60_000,
});
