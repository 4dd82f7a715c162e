import { fileURLToPath } from 'node:url';

// From the sources this resolves to the .ts files, from a build to the emitted .js files.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/**
 * Absolute path of the vitest globalSetup module that provides `pgUrl`, for
 * `sharedVitestConfig({ globalSetup: [POSTGRES_GLOBAL_SETUP] })`.
 */
export const POSTGRES_GLOBAL_SETUP = fileURLToPath(new URL(`./vitest/postgres-global-setup${extension}`, import.meta.url));

/**
 * Absolute path of the vitest globalSetup module that provides `mysqlUrl`, for
 * `sharedVitestConfig({ globalSetup: [MYSQL_GLOBAL_SETUP] })`.
 */
export const MYSQL_GLOBAL_SETUP = fileURLToPath(new URL(`./vitest/mysql-global-setup${extension}`, import.meta.url));
