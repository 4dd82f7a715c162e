import { SCENARIOS } from '../cli/names.js';
import { formatNumber, formatRatio, formatValue } from '../run/format.js';
import type { CpuCost, Metric, Target } from '../run/results.js';
import type { ResultsDocument } from './results-document.js';
import { renderMarkdownTable, renderTextTable, type Align } from './text-table.js';

function describeTarget(target: Target | undefined, metric: Metric): string {
  if (!target) return '';
  const op = { '>=': '≥', '<=': '≤', '<': '<' }[target.op];
  if (target.on === 'ratio') return `ratio ${op} ${target.value}`;
  switch (metric.unit) {
    case 'bytes':
      return `asyncdb ${op} ${formatNumber(target.value / 1e6)} MB`;
    case 'ms':
      return `asyncdb ${op} ${target.value} ms`;
    case 'multiple':
      return `asyncdb ${op} ${target.value}×`;
    case 'per-second':
      return `asyncdb ${op} ${formatNumber(target.value)}/s`;
  }
}

function verdict(metric: Metric): string {
  if (metric.met === undefined) return '';
  return metric.met ? 'yes' : 'NO';
}

/** The "raw" column holds the raw driver's value, or the other client's on an alternative's line (marked ↳). */
const METRIC_HEADER = ['#', 'metric', 'provider', 'asyncdb', 'raw', 'ratio', 'target', 'met?', 'raw baseline'];

/** An alternative client's line reads as a sub-line of the raw driver's line above it. */
function labelOf(text: string, alternative: boolean | undefined): string {
  return alternative ? `↳ ${text}` : text;
}
const METRIC_ALIGN: Align[] = ['right', 'left', 'left', 'right', 'right', 'right', 'left', 'left', 'left'];

function metricRows(metrics: readonly Metric[]): string[][] {
  return [...metrics]
    .sort((a, b) => SCENARIOS.indexOf(a.scenario) - SCENARIOS.indexOf(b.scenario))
    .map((metric) => [
      String(SCENARIOS.indexOf(metric.scenario) + 1),
      labelOf(metric.label, metric.alternative),
      metric.provider,
      formatValue(metric.asyncdb, metric.unit),
      formatValue(metric.raw, metric.unit),
      formatRatio(metric.ratio),
      describeTarget(metric.target, metric),
      verdict(metric),
      metric.baseline,
    ]);
}

const CPU_HEADER = ['#', 'operation', 'provider', 'asyncdb µs', 'raw µs', 'asyncdb / raw', 'raw baseline'];
const CPU_ALIGN: Align[] = ['right', 'left', 'left', 'right', 'right', 'right', 'left'];

function cpuRows(costs: readonly CpuCost[]): string[][] {
  return costs.map((cost) => [
    String(SCENARIOS.indexOf(cost.scenario) + 1),
    labelOf(cost.operation, cost.alternative),
    cost.provider,
    formatNumber(cost.asyncdbMicros, 1),
    formatNumber(cost.rawMicros, 1),
    `${formatNumber(cost.asyncdbMicros / cost.rawMicros, 2)}×`,
    cost.baseline,
  ]);
}

/** The run's header: mode, date, machine, Node, commit and load average from start to end. */
function headerLines(document: ResultsDocument): string[] {
  const { machine } = document;
  return [
    `asyncdb benchmark — ${document.plan.mode} run, ${machine.date}: \`${document.command}\``,
    `${machine.cpus} × ${machine.cpuModel}, ${formatNumber(machine.memoryBytes / 2 ** 30, 1)} GiB, ${machine.platform}, ` +
      `Node ${machine.node}, commit ${machine.gitCommit.slice(0, 12)}${machine.gitDirty ? ' (+ uncommitted changes)' : ''}, ` +
      `load average ${machine.loadAverageAtStart.toFixed(2)} → ${document.loadAverageAtEnd.toFixed(2)}, ` +
      `${formatNumber(document.durationSeconds)} s`,
  ];
}

/** The report printed on stdout at the end of a run. */
export function renderTextReport(document: ResultsDocument): string {
  const sections = [
    ...headerLines(document),
    '',
    renderTextTable(METRIC_HEADER, metricRows(document.metrics), METRIC_ALIGN),
  ];
  if (document.cpu.length > 0) {
    sections.push('', 'Client CPU per operation (median; lower is better, and unaffected by other load on the machine):', '');
    sections.push(renderTextTable(CPU_HEADER, cpuRows(document.cpu), CPU_ALIGN));
  }
  if (document.details.length > 0) sections.push('', ...document.details);
  sections.push('', ...document.conventions.map((line) => `* ${line}`));
  for (const status of document.providers) {
    sections.push(`* ${status.provider}: ${status.status === 'skipped' ? `SKIPPED — ${status.detail}` : status.detail}`);
  }
  sections.push(...document.notes.map((line) => `* ${line}`));
  for (const failure of document.failures) sections.push(`* FAILED: ${failure.provider} ${failure.scenario}: ${failure.error}`);
  sections.push(`* ${formatNumber(document.durationSeconds)} s in all; every run's numbers are in bench-results.json.`);
  return sections.join('\n');
}

/** The same tables in Markdown, for docs/benchmarks.md. */
export function renderMarkdownReport(document: ResultsDocument): string {
  const sections = [
    ...headerLines(document).map((line) => `${line}  `),
    '',
    renderMarkdownTable(METRIC_HEADER, metricRows(document.metrics), METRIC_ALIGN),
  ];
  if (document.cpu.length > 0) {
    sections.push('', 'Client CPU per operation (median):', '', renderMarkdownTable(CPU_HEADER, cpuRows(document.cpu), CPU_ALIGN));
  }
  if (document.details.length > 0) sections.push('', '```text', ...document.details, '```');
  for (const status of document.providers.filter((provider) => provider.status === 'skipped')) {
    sections.push('', `${status.provider}: SKIPPED — ${status.detail}`);
  }
  for (const failure of document.failures) sections.push('', `FAILED: ${failure.provider} ${failure.scenario}: ${failure.error.split('\n')[0]}`);
  return sections.join('\n');
}
