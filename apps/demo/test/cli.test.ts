import { existsSync } from 'node:fs';
import type {} from '@asyncdb/test-servers'; // types inject('mysqlUrl')
import { describe, expect, inject, it } from 'vitest';
import { generateDataset } from '../src/dataset/generate-dataset.js';
import { SCENARIOS } from '../src/scenarios/scenario-list.js';
import { capture, parseDuration } from './durations.js';
import { runDemo, startDemo } from './run-demo.js';

const dataset = generateDataset();
const totalRows =
  dataset.employees.length +
  dataset.customers.length +
  dataset.products.length +
  dataset.orders.length +
  dataset.orderDetails.length;

/**
 * What every complete run prints, whatever the engine: the dataset, each scenario and its results. `serverWaits`
 * false (SQLite): the waits are statements that compute, so three at once compete for the machine's cores (and for
 * other processes'): neither the completion order nor the parallel total is a property of the code then, only that
 * all three complete.
 */
function expectEveryScenario(out: string, { serverWaits = true } = {}): void {
  expect(out).toContain(
    `Dataset:    ${totalRows.toLocaleString('en-US')} rows (demo_employees ${dataset.employees.length}, `,
  );
  // Every heading, in order, each followed by its timing.
  const headings = [...out.matchAll(/^▶ (\d)\/5 (.+)$/gm)].map((m) => m[2]);
  expect(headings).toEqual(SCENARIOS.map((scenario) => scenario.title));
  for (const scenario of SCENARIOS) expect(out).toMatch(new RegExp(`\\(${scenario.name}: [\\d.]+ m?s\\)`));
  const germanOrders = dataset.orders.filter((order) => order.shipCountry === 'Germany').length;
  expect(out).toContain(`✓ endExecuteNonQuery → ${2 * germanOrders} rows affected (both UPDATEs)`);
  const completed = [...out.matchAll(/completed #\d: (\w+)/g)].map((m) => m[1]);
  if (serverWaits) {
    expect(completed).toEqual(['Accounting', 'Sales', 'HR']);
    const parallel = parseDuration(capture(out, /✓ In parallel: ([\d.]+ m?s)/));
    const sequential = parseDuration(capture(out, /✓ One after another: ([\d.]+ m?s)/));
    // By design 0.9 s against 1.8 s on the server; the margin leaves room for a busy machine.
    expect(parallel).toBeLessThan(sequential - 300);
  } else {
    expect([...completed].sort()).toEqual(['Accounting', 'HR', 'Sales']);
  }
  expect(out.match(/endOpen → open at .*; server version \S+/g)).toHaveLength(2);
  expect(out.match(/✓ caught at Begin: \w+ threw InvalidOperationError: /g)).toHaveLength(2);
  expect(out).toMatch(
    /✓ caught at End: endExecuteReader rejected with DbError: .*demo_no_such_table.*\(category undefined_object, /,
  );
  expect(out).toContain('✓ endExecuteReader rejected with OperationCanceledError');
  expect(out).toContain(`then ran SELECT COUNT(*) FROM demo_orders → ${dataset.orders.length}.`);
  expect(out).toMatch(/✓ All 5 scenarios passed in [\d.]+ m?s\./);
  // Not a terminal: no spinner, no colours, plain progress lines.
  expect(out).not.toMatch(/\x1b|\r/);
}

describe('npm run demo (the CLI, as a child process)', () => {
  it('with no arguments: starts an embedded PostgreSQL, loads the dataset, runs every scenario, stops the server, exits 0', async () => {
    const run = await runDemo([]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/Provider: {3}pg \(@asyncdb\/provider-pg\)/);
    expect(out).toMatch(
      /Database: {3}PostgreSQL 1\d\.\d+ \(embedded, 127\.0\.0\.1:\d+, data directory \S+, started in [\d.]+ m?s\)/,
    );
    expect(out).toMatch(/Connection: Host=127\.0\.0\.1;Port=\d+;.*Password=\*{5};Asynchronous Processing=True/);
    expectEveryScenario(out);
    expect(out.match(/endOpen → open at .*; server version 1\d\.\d+,/g)).toHaveLength(2);
    const directory = capture(out, /Embedded PostgreSQL stopped; (\S+) removed\./);
    expect(directory).toBe(capture(out, /data directory (\S+),/));
    expect(existsSync(directory)).toBe(false);
  });

  it('--provider sqlite runs the same scenarios with no server at all: a database file in a temporary directory, removed at the end', async () => {
    const run = await runDemo(['--provider', 'sqlite']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(/Provider: {3}sqlite \(@asyncdb\/provider-sqlite\)/);
    expect(out).toMatch(/Database: {3}SQLite 3\.\d+\.\d+ \(a file in \S+, no server; its waits are statements that compute/);
    expect(out).toMatch(/Connection: Data Source=\S+demo\.db;Foreign Keys=True;Asynchronous Processing=True/);
    expectEveryScenario(out, { serverWaits: false });
    expect(out).toMatch(/endExecuteReader rejected with DbError: no such table: demo_no_such_table/);
    const directory = capture(out, /SQLite database directory (\S+) removed\./);
    expect(directory).toBe(capture(out, /\(a file in (\S+), no server/));
    expect(existsSync(directory)).toBe(false);
  });

  it('--provider mysql --connection runs the same scenario code, unchanged, on MySQL/MariaDB', async () => {
    const run = await runDemo(['--provider', 'mysql', '--connection', inject('mysqlUrl')]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Provider: {3}mysql \(@asyncdb\/provider-mysql\)/);
    expect(run.stdout).toMatch(/Database: {3}MySQL\/MariaDB \S+ \(given by --connection\)/);
    expect(run.stdout).toContain(`Batch: UPDATE freight (+1) for Germany; DO SLEEP(2); UPDATE freight (-1).`);
    expectEveryScenario(run.stdout);
  });

  it('--provider pg --connection runs the same scenarios on the given server, and loads the dataset there', async () => {
    const run = await runDemo([
      '--provider',
      'pg',
      '--connection',
      inject('cliPostgresUrl'),
      '--only',
      'errors,wait-handles',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Database: {3}PostgreSQL 1\d\.\d+ \(given by --connection\)/);
    expect(run.stdout).toContain('Database=demo_cli');
    expect(run.stdout).not.toContain('Embedded PostgreSQL');
    expect([...run.stdout.matchAll(/^▶ (.+)$/gm)].map((m) => m[1])).toEqual([
      '1/2 Parallel queries with wait handles',
      '2/2 Errors',
    ]);
    const parallel = parseDuration(capture(run.stdout, /✓ In parallel: ([\d.]+ m?s)/));
    const sequential = parseDuration(capture(run.stdout, /✓ One after another: ([\d.]+ m?s)/));
    expect(parallel).toBeLessThan(sequential);
    expect(run.stdout).toMatch(/✓ All 2 scenarios passed/);
  });

  it('--help prints the usage and exits 0 without starting anything', async () => {
    const run = await runDemo(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run demo -- \[serve\] \[options\]/);
    expect(run.stdout).toContain('--provider <pg|mysql|mssql|sqlite>');
  });

  it.each([
    [['--provider', 'oracle'], "asyncdb demo: ConfigError: Unknown provider 'oracle'. Use one of: pg, mysql, mssql, sqlite."],
    [['--provider', 'mysql'], 'asyncdb demo: ConfigError: --provider mysql needs --connection "<connection string>"'],
    [['--frobnicate'], "asyncdb demo: ConfigError: Unknown option '--frobnicate'."],
    [
      ['--connection', 'Host=127.0.0.1;Colour=blue'],
      'Keyword not supported: the keyword of the pair starting at index 15',
    ],
  ])('bad input %j: a clear message on stderr and exit code 2', async (args, message) => {
    const run = await runDemo(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run `npm run demo -- --help` for the options.');
    expect(run.stdout).not.toContain('▶');
  });

  it('an unreachable server: exit code 1 and a message naming the connection failure', async () => {
    const run = await runDemo([
      '--connection',
      'Host=127.0.0.1;Port=1;Username=nobody;Database=none;Connect Timeout=5',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/asyncdb demo: DbError: .*ECONNREFUSED.*\(category connection_failure\)/s);
  });

  it('serve: answers on the printed URL, and Ctrl-C stops the web server and the embedded PostgreSQL', async () => {
    const demo = startDemo(['serve', '--port', '0']);
    const out = await demo.waitFor(/Press Ctrl-C to stop\./);
    const url = capture(out, /Customers: +(http:\/\/\S+)\//);
    const ping = (await (await fetch(`${url}/api/ping`)).json()) as { ok: boolean };
    expect(ping.ok).toBe(true);
    const page = await (await fetch(`${url}/customers/1`)).text();
    expect(page).toContain('asyncdbDone(');
    demo.interrupt('SIGINT');
    const run = await demo.done;
    // Like any program stopped by Ctrl-C: it dies of SIGINT, after cleaning up.
    expect(run.signal === 'SIGINT' || run.code === 130).toBe(true);
    expect(run.stdout).toContain('Web server stopped.');
    // Ctrl-C reaches the whole process group, PostgreSQL's processes included, so the last line may be cut off;
    // what matters is that the data directory printed at start-up is gone.
    expect(existsSync(capture(run.stdout, /data directory (\S+), started/))).toBe(false);
    expect(run.stderr).toBe('');
  });

  it('Ctrl-C during a scenario: the remaining scenarios are skipped and the embedded PostgreSQL is still stopped', async () => {
    const demo = startDemo([]);
    await demo.waitFor(/the caller keeps working/);
    demo.interrupt('SIGINT');
    const run = await demo.done;
    expect(run.signal === 'SIGINT' || run.code === 130).toBe(true);
    expect(run.stdout).toContain('Interrupted during polling; the remaining scenarios are skipped.');
    expect(run.stdout).not.toContain('▶ 2/5');
    expect(existsSync(capture(run.stdout, /data directory (\S+), started/))).toBe(false);
  });
});
