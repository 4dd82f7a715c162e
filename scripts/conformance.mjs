// `npm run conformance`: runs every provider's conformance test file (@asyncdb/testkit) with vitest's JSON reporter
// and writes docs/conformance.md — one row per test, one column per provider, pass / fail / unsupported.
// A provider whose run fails as a whole (server unreachable, crash) is a column of failures with the reason,
// never left out. Exits non-zero when any provider fails a test.
//
// Usage: node scripts/conformance.mjs [provider…]   (default: pg, pg-pgbouncer, pg-multiplexing, mysql, mssql, sqlite —
// every one whose package exists; pg-pgbouncer is pg's suite through pgbouncer in transaction mode, see
// docs/scale-out.md; pg-multiplexing is pg's suite with Multiplexing=true, see docs/multiplexing.md)
// The servers come from the providers' vitest setups: ASYNCDB_PG_URL / ASYNCDB_MYSQL_URL / ASYNCDB_MSSQL_URL, or
// their defaults (see packages/test-servers/README.md).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const KNOWN_PROVIDERS = ['pg', 'pg-pgbouncer', 'pg-multiplexing', 'mysql', 'mssql', 'sqlite'];
// Columns that run a provider's suite through something in front of its server: [package, test file].
const PROFILES = {
  'pg-pgbouncer': ['pg', join('test', 'pgbouncer', 'pg-pgbouncer.conformance.test.ts')],
  'pg-multiplexing': ['pg', join('test', 'multiplexing', 'pg-multiplexing.conformance.test.ts')],
};
const OUTPUT = join(root, 'docs', 'conformance.md');

// The report builder lives (tested) in the testkit, as TypeScript; tsx loads it without a build.
const { renderConformanceReport } = await tsImport(
  '../packages/testkit/src/report/conformance-report.ts',
  import.meta.url,
);

const requested = process.argv.slice(2);
const COMMAND = requested.length > 0 ? `npm run conformance -- ${requested.join(' ')}` : 'npm run conformance';
const providers =
  requested.length > 0
    ? requested
    : KNOWN_PROVIDERS.filter((name) => existsSync(join(root, 'packages', `provider-${PROFILES[name]?.[0] ?? name}`)));
if (providers.length === 0) {
  console.error('No provider package found (packages/provider-pg, provider-mysql, provider-mssql, provider-sqlite).');
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'asyncdb-conformance-'));
const runs = [];
try {
  for (const provider of providers) runs.push(await runProvider(provider));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, renderConformanceReport(runs, { command: COMMAND, generatedAt: new Date() }));
console.log(`\nWrote ${relative(root, OUTPUT)}`);

let failing = false;
for (const run of runs) {
  const counts = summarize(run);
  failing ||= Boolean(run.error) || counts.failed > 0;
  console.log(
    `${run.provider}: ${run.error ? `run failed — ${run.error}; ` : ''}${counts.passed} passed, ${counts.failed} failed, ${counts.unsupported} unsupported`,
  );
}
process.exit(failing ? 1 : 0);

/** Runs one provider's conformance file; resolves { provider, report?, error? }. */
async function runProvider(provider) {
  const [packageName, profileFile] = PROFILES[provider] ?? [provider, undefined];
  const packageDir = join(root, 'packages', `provider-${packageName}`);
  const testFile = profileFile ?? join('test', `${provider}.conformance.test.ts`);
  if (!existsSync(packageDir)) return { provider, error: `no package packages/provider-${packageName}` };
  if (!existsSync(join(packageDir, testFile))) {
    return {
      provider,
      error: `packages/provider-${packageName} has no ${testFile.replaceAll('\\', '/')} (the provider does not run the suite yet)`,
    };
  }
  const reportFile = join(scratch, `${provider}.json`);
  console.log(`\n== ${provider}: vitest run ${testFile}`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const { code, output } = await run(
    process.execPath,
    [vitest, 'run', testFile, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
    packageDir,
  );
  let report;
  if (existsSync(reportFile)) {
    try {
      report = JSON.parse(readFileSync(reportFile, 'utf8'));
    } catch (error) {
      return { provider, error: `unreadable vitest report: ${error.message}` };
    }
  }
  const tests = report?.testResults?.reduce((sum, file) => sum + file.assertionResults.length, 0) ?? 0;
  if (!report || tests === 0) {
    return { provider, ...(report ? { report } : {}), error: reasonFrom(output, code) };
  }
  const brokenFile = report.testResults.find((file) => file.status === 'failed' && file.message);
  return brokenFile ? { provider, report, error: firstLine(brokenFile.message) } : { provider, report };
}

/** Spawns a process, echoing its output, and resolves its exit code and the output (ANSI colours removed). */
function run(command, args, cwd) {
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (stream, target) =>
      stream.on('data', (chunk) => {
        chunks.push(chunk);
        target.write(chunk);
      });
    keep(child.stdout, process.stdout);
    keep(child.stderr, process.stderr);
    child.on('error', (error) => resolve({ code: -1, output: String(error) }));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, output: stripAnsi(Buffer.concat(chunks).toString('utf8')) }),
    );
  });
}

/**
 * Why a run produced no test results: the first error vitest printed (e.g. the global setup's "cannot reach the
 * server … To fix: …"), with its continuation lines up to the stack trace; else the exit code.
 */
function reasonFrom(output, code) {
  const lines = output.split('\n').map((line) => line.trim());
  const start = lines.findIndex((line) => /^\w*Error\b[^:]*: /.test(line));
  if (start < 0) return `vitest exited with code ${code} without running any test`;
  const message = [];
  for (const line of lines.slice(start)) {
    if (line === '' || line.startsWith('❯') || line.startsWith('at ')) break;
    message.push(line);
  }
  return message.join(' ').slice(0, 600);
}

function summarize(run) {
  const counts = { passed: 0, failed: 0, unsupported: 0 };
  for (const file of run.report?.testResults ?? []) {
    for (const test of file.assertionResults) {
      if (test.status === 'passed') counts.passed += 1;
      else if (test.status === 'skipped' && typeof test.meta?.asyncdbUnsupported === 'string') counts.unsupported += 1;
      else counts.failed += 1;
    }
  }
  return counts;
}

function firstLine(text) {
  return (
    String(text)
      .split('\n')
      .find((line) => line.trim() !== '') ?? ''
  )
    .trim()
    .slice(0, 400);
}

function stripAnsi(text) {
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
