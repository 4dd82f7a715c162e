/**
 * Builds `docs/conformance.md` from vitest JSON reports of the providers' conformance runs: one row per test, one
 * column per provider, pass / fail / unsupported, with totals. Pure functions, so the script that runs vitest stays
 * thin and this stays tested.
 */

/** The part of vitest's JSON reporter output the report reads. */
export interface VitestJsonReport {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly status?: string;
    readonly message?: string;
    readonly assertionResults: ReadonlyArray<{
      readonly ancestorTitles: readonly string[];
      readonly title: string;
      readonly status: string;
      readonly failureMessages?: readonly string[];
      readonly meta?: Readonly<Record<string, unknown>>;
    }>;
  }>;
}

/** One provider's run: its report, or why there is none. */
export interface ProviderRun {
  /** The column header (`pg`, `mysql`, `mssql`). */
  readonly provider: string;
  /** vitest's JSON report, when vitest wrote one. */
  readonly report?: VitestJsonReport;
  /** Why the run failed as a whole (server unreachable, vitest crashed), if it did. */
  readonly error?: string;
}

/** What happened to one test on one provider. */
export type Outcome = 'pass' | 'fail' | 'unsupported';

/** One cell: the outcome and, for fail and unsupported, why. */
export interface Cell {
  readonly outcome: Outcome;
  readonly detail?: string;
}

/** The row key of a test: its groups (without the provider's top-level describe) and title, joined by ` › `. */
export function rowKey(ancestorTitles: readonly string[], title: string): string {
  return [...ancestorTitles.slice(1), title].join(' › ');
}

/**
 * The outcome of every test of a report, by row key, in the order the report lists them. A test skipped with
 * `meta.asyncdbUnsupported` is unsupported; any other skip means the test did not run (a hook or the file failed),
 * which counts as a failure — the suite never skips anything else.
 */
export function collectOutcomes(report: VitestJsonReport): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      const key = rowKey(test.ancestorTitles, test.title);
      const reason = test.meta?.['asyncdbUnsupported'];
      if (test.status === 'passed') cells.set(key, { outcome: 'pass' });
      else if (test.status === 'failed')
        cells.set(key, { outcome: 'fail', detail: firstLine(test.failureMessages?.[0] ?? 'failed') });
      else if (typeof reason === 'string') cells.set(key, { outcome: 'unsupported', detail: reason });
      else
        cells.set(key, {
          outcome: 'fail',
          detail: `did not run (${test.status})${file.message ? `: ${firstLine(file.message)}` : ''}`,
        });
    }
  }
  return cells;
}

/** Totals of one provider's column. */
export interface Totals {
  readonly pass: number;
  readonly fail: number;
  readonly unsupported: number;
}

/** The table: row keys in order, and for each provider its cells and totals. */
export interface ConformanceTable {
  readonly rows: readonly string[];
  readonly columns: ReadonlyArray<{
    readonly run: ProviderRun;
    readonly cells: ReadonlyMap<string, Cell>;
    readonly totals: Totals;
  }>;
}

/**
 * Lines the runs up: every test any provider reported is a row (in the order first seen). A provider whose run
 * failed as a whole, or that lacks a row others have, fails that row with the run's error — a provider is never
 * silently omitted.
 */
export function buildTable(runs: readonly ProviderRun[]): ConformanceTable {
  const collected = runs.map((run) => ({
    run,
    reported: run.report ? collectOutcomes(run.report) : new Map<string, Cell>(),
  }));
  const rows: string[] = [];
  const seen = new Set<string>();
  for (const { reported } of collected) {
    for (const key of reported.keys()) {
      if (!seen.has(key)) {
        seen.add(key);
        rows.push(key);
      }
    }
  }
  const columns = collected.map(({ run, reported }) => {
    const cells = new Map<string, Cell>();
    const missing: Cell = {
      outcome: 'fail',
      detail: run.error ? `not run: ${run.error}` : 'not reported by this provider',
    };
    for (const key of rows) cells.set(key, reported.get(key) ?? missing);
    const totals = { pass: 0, fail: 0, unsupported: 0 };
    for (const cell of cells.values()) totals[cell.outcome] += 1;
    return { run, cells, totals };
  });
  return { rows, columns };
}

/** What the report says about how it was made. */
export interface ReportOrigin {
  /** The command that generated it. */
  readonly command: string;
  /** When it was generated. */
  readonly generatedAt: Date;
}

/** Renders the table as the Markdown of `docs/conformance.md`. */
export function renderConformanceReport(runs: readonly ProviderRun[], origin: ReportOrigin): string {
  const table = buildTable(runs);
  const providers = table.columns.map((column) => column.run.provider);
  const lines: string[] = [
    '# asyncdb conformance',
    '',
    `Generated by \`${origin.command}\` on ${origin.generatedAt.toISOString()}. Do not edit by hand: run the command again.`,
    '',
    'Each provider runs `@asyncdb/testkit` (`describeProviderConformance`) against a real server. **unsupported**',
    "means the provider's factory declares the capability unsupported (the reason is listed below); a test that could",
    'not run at all counts as **fail**.',
    '',
    '## Totals',
    '',
    '| Provider | pass | fail | unsupported | tests | run |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const { run, totals } of table.columns) {
    const status = run.error ? `failed: ${escapeCell(run.error)}` : 'completed';
    lines.push(
      `| ${run.provider} | ${totals.pass} | ${totals.fail} | ${totals.unsupported} | ${table.rows.length} | ${status} |`,
    );
  }
  lines.push('', '## Results', '');
  if (table.rows.length === 0) {
    lines.push('No provider reported any test.');
  } else {
    lines.push(
      `| Group | Test | ${providers.join(' | ')} |`,
      `| --- | --- | ${providers.map(() => ':---:').join(' | ')} |`,
    );
    for (const key of table.rows) {
      const [group = '', ...rest] = key.split(' › ');
      const cells = table.columns.map((column) => column.cells.get(key)?.outcome ?? 'fail');
      lines.push(`| ${escapeCell(group)} | ${escapeCell(rest.join(' › '))} | ${cells.join(' | ')} |`);
    }
  }
  for (const { run, cells } of table.columns) {
    const failures = [...cells].filter(([, cell]) => cell.outcome === 'fail');
    const unsupported = [...cells].filter(([, cell]) => cell.outcome === 'unsupported');
    if (failures.length === 0 && unsupported.length === 0) continue;
    lines.push('', `## ${run.provider}`);
    if (failures.length > 0) {
      lines.push('', '### Failures', '');
      for (const [key, cell] of failures) lines.push(`- **${escapeInline(key)}** — ${escapeInline(cell.detail ?? '')}`);
    }
    if (unsupported.length > 0) {
      lines.push('', '### Unsupported', '');
      const byReason = new Map<string, string[]>();
      for (const [key, cell] of unsupported)
        byReason.set(cell.detail ?? '', [...(byReason.get(cell.detail ?? '') ?? []), key]);
      for (const [reason, keys] of byReason) {
        lines.push(`- ${escapeInline(reason)} (${keys.length}): ${keys.map((key) => escapeInline(key)).join('; ')}`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? text;
  return line.trim().slice(0, 300);
}

function escapeCell(text: string): string {
  return escapeInline(text).replaceAll('|', '\\|');
}

function escapeInline(text: string): string {
  return text.replaceAll('\r', ' ').replaceAll('\n', ' ');
}
