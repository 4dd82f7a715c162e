import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

describe('bundled into an ES module by esbuild', () => {
  // Inside the package, so the bundle resolves libsql from the repository's node_modules as an application would.
  const directory = mkdtempSync(join(PACKAGE, '.bundle-test-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('the worker still starts: esbuild rewrites require() to its __require shim, which the worker script defines', async () => {
    const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx'))('esbuild') as typeof import('esbuild');
    const entry = join(directory, 'entry.ts');
    writeFileSync(
      entry,
      `import { SqliteProviderFactory } from ${JSON.stringify(join(PACKAGE, 'src/index.ts'))};
const connection = SqliteProviderFactory.instance.createConnection('Data Source=:memory:');
await connection.open();
console.log(String(await connection.createCommand('SELECT 40 + 2').executeScalar()));
await connection.close();`,
    );
    const outfile = join(directory, 'bundle.mjs');
    await esbuild.build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['@asyncdb/source'],
      external: ['libsql'],
      logLevel: 'error',
    });
    // Before the fix the open failed with "__require is not defined" inside the worker.
    expect(execFileSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 30_000 }).trim()).toBe('42');
  }, 60_000);
});
