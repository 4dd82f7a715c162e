import { sharedVitestConfig } from '../../vitest.shared.ts';

// No server: every test opens SQLite files of its own in a temporary directory.
export default sharedVitestConfig({});
