// Importing vitest makes the declaration below an augmentation of vitest's module; without the
// import, a program that does not already contain vitest's types (tsconfig.lib.json) fails it.
import type {} from 'vitest';

/**
 * Declares the values the global setups of this package provide, so that `inject('pgUrl')` and
 * `inject('mysqlUrl')` are typed. A `.ts` module rather than a `.d.ts` so that it is part of
 * every program that imports `@asyncdb/test-servers` (index.ts re-exports from it) and is
 * emitted with the build.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the PostgreSQL provided by `POSTGRES_GLOBAL_SETUP`. */
    pgUrl: string;
    /** URL of the MySQL/MariaDB provided by `MYSQL_GLOBAL_SETUP`. */
    mysqlUrl: string;
  }
}

/** The keys under which the global setups provide server URLs to `inject`. */
export type ProvidedServerUrl = 'pgUrl' | 'mysqlUrl';
