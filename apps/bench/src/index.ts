/**
 * @asyncdb/bench — benchmarks of asyncdb against the raw drivers. Run it with `npm run bench`; these exports are the
 * pure parts (argument parsing, statistics), for tests and for tools that read bench-results.json.
 */
export { parseBenchArgs, USAGE, UsageError, type BenchOptions } from './cli/args.js';
export { PROVIDERS, SCENARIOS, type ProviderName, type ScenarioName } from './cli/names.js';
export { median, p99, percentile, perSecond, ratio, type Better } from './stats/stats.js';
export type { Metric, RunRecord, Target } from './run/results.js';
export type { ResultsDocument } from './report/results-document.js';
