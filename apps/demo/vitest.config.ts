import { sharedVitestConfig } from '../../vitest.shared.js';

// One embedded PostgreSQL for all the demo's tests, with the dataset loaded (test/demo-database.global-setup.ts).
export default sharedVitestConfig({ globalSetup: ['./test/demo-database.global-setup.ts'], testTimeout: 60_000 });
