import { WaitHandle, type DbProviderFactory, type DbRow } from '@asyncdb/core';
import { dialectFor, type Dialect } from '../dialects.js';
import type { Output } from '../output.js';
import { readAll } from '../read-all.js';
import { formatDuration, startStopwatch } from '../timing.js';

/** One of the three departments' queries. */
export interface DepartmentQuery {
  readonly department: string;
  readonly title: string;
  /** How long the server waits before answering, so that the completion order is visible and known. */
  readonly delaySeconds: number;
  readonly sql: string;
  /** One short line about the rows. */
  summarize(rows: readonly DbRow[]): string;
}

/** The longest the demo waits for the three queries before it gives up. */
const WAIT_TIMEOUT_MS = 30_000;

/**
 * The three queries, in the order they are started. Their delays (0.9, 0.3, 0.6 s) make them complete in another
 * order — Accounting, Sales, HR — far enough apart that the order never depends on machine speed.
 */
export const DEPARTMENT_QUERIES: readonly DepartmentQuery[] = Object.freeze([
  {
    department: 'HR',
    title: 'orders taken per employee',
    delaySeconds: 0.9,
    sql: `SELECT e.first_name, e.last_name, COUNT(o.order_id) AS orders
FROM demo_employees e JOIN demo_orders o ON o.employee_id = e.employee_id
GROUP BY e.employee_id, e.first_name, e.last_name
ORDER BY orders DESC, e.employee_id`,
    summarize: (rows) =>
      `${rows.length} employees, busiest ${top(rows, (r) => `${String(r.first_name)} ${String(r.last_name)} (${String(r.orders)})`)}`,
  },
  {
    department: 'Accounting',
    title: 'revenue per product category',
    delaySeconds: 0.3,
    sql: `SELECT p.category, ROUND(SUM(d.unit_price * d.quantity * (1 - d.discount)), 2) AS revenue
FROM demo_order_details d JOIN demo_products p ON p.product_id = d.product_id
GROUP BY p.category
ORDER BY revenue DESC, p.category`,
    summarize: (rows) =>
      `${rows.length} categories, first ${top(rows, (r) => `${String(r.category)} ${String(r.revenue)}`)}`,
  },
  {
    department: 'Sales',
    title: 'units sold per product',
    delaySeconds: 0.6,
    sql: `SELECT p.product_name, SUM(d.quantity) AS units
FROM demo_order_details d JOIN demo_products p ON p.product_id = d.product_id
GROUP BY p.product_id, p.product_name
ORDER BY units DESC, p.product_id`,
    summarize: (rows) =>
      `${rows.length} products, best seller ${top(rows, (r) => `${String(r.product_name)} (${String(r.units)} units)`)}`,
  },
]);

/**
 * The ADO.NET 2.0 wait-handle sample: three commands on three connections started with `beginExecuteReader`, then
 * `WaitHandle.waitAny` in a loop, handling each result the moment it completes. Then the same work one query at a
 * time, to show that the parallel total is about the slowest query, not the sum.
 */
export async function waitHandlesScenario(
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<void> {
  const dialect = dialectFor(factory);
  const connections = DEPARTMENT_QUERIES.map(() => factory.createConnection(connectionString));
  try {
    await Promise.all(connections.map((connection) => connection.open()));
    const commands = DEPARTMENT_QUERIES.map((query, index) =>
      connections[index]!.createCommand(delayedSql(dialect, query)),
    );

    output.line('In parallel: beginExecuteReader on three connections, then WaitHandle.waitAny until all are handled.');
    const parallel = startStopwatch();
    const pending = commands.map((command, index) => ({
      command,
      query: DEPARTMENT_QUERIES[index]!,
      result: command.beginExecuteReader(),
    }));
    output.line(
      `Started ${DEPARTMENT_QUERIES.map((q) => `${q.department} (${q.delaySeconds} s)`).join(', ')} in ${formatDuration(parallel())}.`,
    );
    for (let completed = 1; pending.length > 0; completed++) {
      const index = await WaitHandle.waitAny(
        pending.map((entry) => entry.result.asyncWaitHandle),
        WAIT_TIMEOUT_MS,
      );
      if (index === WaitHandle.WaitTimeout)
        throw new Error(`No query completed within ${formatDuration(WAIT_TIMEOUT_MS)}.`);
      const [entry] = pending.splice(index, 1);
      const rows = await readAll(await entry!.command.endExecuteReader(entry!.result));
      output.line(
        `completed #${completed}: ${entry!.query.department} — ${entry!.query.title}, at ${formatDuration(parallel())}: ${entry!.query.summarize(rows)}`,
      );
    }
    const parallelMs = parallel();
    const slowest = Math.max(...DEPARTMENT_QUERIES.map((q) => q.delaySeconds));
    output.success(`In parallel: ${formatDuration(parallelMs)} — about the slowest query (${slowest} s).`);

    output.line('One after another: the same three commands with executeReader (the Promise surface).');
    const sequential = startStopwatch();
    const steps: string[] = [];
    for (const [index, command] of commands.entries()) {
      const step = startStopwatch();
      await readAll(await command.executeReader());
      steps.push(`${DEPARTMENT_QUERIES[index]!.department} ${formatDuration(step())}`);
    }
    const sequentialMs = sequential();
    const sum = DEPARTMENT_QUERIES.reduce((total, q) => total + q.delaySeconds, 0);
    output.line(steps.join(', '));
    output.success(`One after another: ${formatDuration(sequentialMs)} — about the sum (${sum.toFixed(1)} s).`);
    output.line(
      `Parallel saved ${formatDuration(sequentialMs - parallelMs)}: ${(sequentialMs / parallelMs).toFixed(1)}× faster.`,
    );
  } finally {
    await Promise.all(connections.map((connection) => connection.close()));
  }
}

/** The query preceded by the server-side wait that makes its duration known. */
function delayedSql(dialect: Dialect, query: DepartmentQuery): string {
  return `${dialect.delay(query.delaySeconds)};\n${query.sql}`;
}

function top(rows: readonly DbRow[], describe: (row: DbRow) => string): string {
  const first = rows[0];
  return first ? describe(first) : '(none)';
}
