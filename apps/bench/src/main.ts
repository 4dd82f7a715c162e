/**
 * `npm run bench [-- --quick] [--provider pg|mysql|mssql]... [--scenario <name>]...` — measures asyncdb against the
 * raw drivers and prints the results table on stdout (progress goes to stderr), then writes bench-results.json and
 * bench-results.md (the Markdown for docs/benchmarks.md) at the repository root.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli/args.js';
import { renderMarkdownReport, renderTextReport } from './report/print-results.js';
import { runBenchmark } from './run/run-benchmark.js';

const RESULTS_FILE = fileURLToPath(new URL('../../../bench-results.json', import.meta.url));
/** The same run as Markdown (header with machine, commit and load; the tables), ready for docs/benchmarks.md. */
const MARKDOWN_FILE = fileURLToPath(new URL('../../../bench-results.md', import.meta.url));

function options(): BenchOptions | undefined {
  try {
    return parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return undefined;
  }
}

const parsed = options();
if (parsed?.help) console.log(USAGE);
else if (parsed) {
  const command = ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' ');
  const log = (line: string): void => console.error(line);
  const document = await runBenchmark(parsed, command, log);
  console.log(renderTextReport(document));
  await writeFile(RESULTS_FILE, `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(MARKDOWN_FILE, `${renderMarkdownReport(document)}\n`);
  console.error(`wrote ${RESULTS_FILE} and ${MARKDOWN_FILE}`);
  const measuredAny = document.providers.some((status) => status.status === 'measured');
  if (document.failures.length > 0 || !measuredAny) process.exitCode = 1;
}
