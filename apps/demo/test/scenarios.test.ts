import { beforeAll, describe, expect, it } from 'vitest';
import type { DbProviderFactory } from '@asyncdb/core';
import { captureOutput } from '../src/output.js';
import { generateDataset } from '../src/dataset/generate-dataset.js';
import { callbacksScenario } from '../src/scenarios/callbacks.js';
import { cancellationScenario } from '../src/scenarios/cancellation.js';
import { errorsScenario } from '../src/scenarios/errors.js';
import { POLLING_COUNTRY, pollingScenario } from '../src/scenarios/polling.js';
import { DEPARTMENT_QUERIES, waitHandlesScenario } from '../src/scenarios/wait-handles.js';
import { demoDatabase } from './demo-database.js';
import { capture, parseDuration } from './durations.js';

const dataset = generateDataset();
let factory: DbProviderFactory;
let connectionString: string;

beforeAll(async () => {
  ({ factory, connectionString } = await demoDatabase());
});

/** Runs a scenario with a captured, plain-text output. */
async function run(scenario: typeof pollingScenario): Promise<string> {
  const output = captureOutput();
  await scenario(factory, connectionString, output);
  return output.text();
}

async function totalFreight(): Promise<string> {
  await using connection = factory.createConnection(connectionString);
  await connection.open();
  return String(await connection.createCommand('SELECT SUM(freight) FROM demo_orders').executeScalar());
}

describe('the scenarios on the embedded PostgreSQL', () => {
  it('polling: Begin returns at once, progress lines while isCompleted is false, End gives the rows affected', async () => {
    const before = await totalFreight();
    const text = await run(pollingScenario);
    const germanOrders = dataset.orders.filter((order) => order.shipCountry === POLLING_COUNTRY).length;
    expect(text).toContain('beginExecuteNonQuery returned after');
    expect(text).toContain(': isCompleted = false.');
    // Plain progress (no TTY): one line per half second of a 2 s wait.
    expect(text.match(/… isCompleted = false, the caller keeps working/g)?.length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/isCompleted = true after [\d.]+ (ms|s) \(\d+ looks\)\./);
    expect(text).toContain(`✓ endExecuteNonQuery → ${2 * germanOrders} rows affected (both UPDATEs)`);
    expect(text).not.toMatch(/\x1b|\r/);
    // The batch raises and lowers freight again: the data ends as it began.
    expect(await totalFreight()).toBe(before);
  });

  it('wait handles: results are handled in completion order, and the parallel total is below the sequential sum', async () => {
    const text = await run(waitHandlesScenario);
    const completed = [...text.matchAll(/completed #(\d): (\w+) —/g)].map((m) => `${m[1]} ${m[2]}`);
    // Delays 0.9, 0.3 and 0.6 s: started HR, Accounting, Sales; completed Accounting, Sales, HR.
    expect(DEPARTMENT_QUERIES.map((q) => q.department)).toEqual(['HR', 'Accounting', 'Sales']);
    expect(completed).toEqual(['1 Accounting', '2 Sales', '3 HR']);
    expect(text).toContain(`${dataset.employees.length} employees, busiest`);
    expect(text).toContain(`${new Set(dataset.products.map((p) => p.category)).size} categories, first`);
    expect(text).toContain(`${dataset.products.length} products, best seller`);
    const parallel = parseDuration(capture(text, /✓ In parallel: ([\d.]+ m?s) — about the slowest query/));
    const sequential = parseDuration(capture(text, /✓ One after another: ([\d.]+ m?s) — about the sum/));
    // By design the sequential run waits 1.8 s on the server and the parallel one 0.9 s.
    expect(sequential).toBeGreaterThanOrEqual(1800);
    expect(parallel).toBeLessThan(sequential - 500);
    expect(text).toMatch(/HR [\d.]+ m?s, Accounting [\d.]+ m?s, Sales [\d.]+ m?s/);
  });

  it('callbacks: each open callback calls endOpen and prints the server version, then a reader callback runs', async () => {
    const text = await run(callbacksScenario);
    expect(text).toMatch(/beginOpen × 2 returned in [\d.]+ m?s; the callbacks do the rest\./);
    for (const department of ['HR', 'Accounting']) {
      expect(text).toMatch(
        new RegExp(
          `callback \\(${department}\\): endOpen → open at [\\d.]+ m?s; server version 1\\d\\.\\d+, database demo, session \\d+`,
        ),
      );
    }
    expect(text).toContain(`callback (HR): endExecuteReader → employees = ${dataset.employees.length}`);
    expect(text).toContain(`callback (Accounting): endExecuteReader → orders = ${dataset.orders.length}`);
    // Begin returned before any callback ran.
    expect(text.indexOf('beginOpen × 2 returned')).toBeLessThan(text.indexOf('callback ('));
    expect(text).toContain('✓ Both connections opened and queried through callbacks');
  });

  it('errors: Begin-time errors are thrown by Begin, the server error is rejected by End', async () => {
    const text = await run(errorsScenario);
    expect(text).toContain(
      '✓ caught at Begin: beginExecuteReader threw InvalidOperationError: This command requires an asynchronous connection. ' +
        'Set "Asynchronous Processing=true" in the connection string.',
    );
    expect(text).toContain(
      "✓ caught at Begin: beginExecuteNonQuery threw InvalidOperationError: beginExecuteNonQuery requires an open and available Connection. The connection's current state is closed.",
    );
    expect(text).toContain('beginExecuteReader returned normally (status running)');
    expect(text).toMatch(
      /✓ caught at End: endExecuteReader rejected with DbError: .*relation "demo_no_such_table" does not exist \(category undefined_object, SQLSTATE 42P01, status faulted\)/,
    );
    expect(text).toContain(`SELECT COUNT(*) FROM demo_customers → ${dataset.customers.length}.`);
  });

  it('cancellation: abort() stops the long query, then the same connection runs another one', async () => {
    const text = await run(cancellationScenario);
    expect(text).toContain('waitForCompletion(500) → false: status running');
    expect(text).toMatch(
      /✓ endExecuteReader rejected with OperationCanceledError: .* \(status canceled, ([\d.]+ m?s) after abort\(\)/,
    );
    // The query would have waited 60 s; it was stopped on the server, far sooner than the 15 s safety timeout.
    expect(parseDuration(capture(text, /\(status canceled, ([\d.]+ m?s) after abort\(\)/))).toBeLessThan(10_000);
    const session = capture(text, /a query that waits 60 s on the server \(session (\d+)\)/);
    expect(text).toContain(
      `✓ The same connection (state Open, session ${session}) then ran SELECT COUNT(*) FROM demo_orders → ${dataset.orders.length}.`,
    );
  });
});
