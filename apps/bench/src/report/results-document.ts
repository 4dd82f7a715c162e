import type { ProviderName } from '../cli/names.js';
import type { BenchPlan } from '../run/plan.js';
import type { CpuCost, Metric, RunRecord, ScenarioFailure } from '../run/results.js';
import type { MachineInfo } from '../run/machine.js';

/** What happened to one provider. */
export interface ProviderStatus {
  readonly provider: ProviderName;
  readonly status: 'measured' | 'skipped';
  /** The server (measured) or why it was skipped. */
  readonly detail: string;
}

/** The whole run, as bench-results.json stores it. */
export interface ResultsDocument {
  readonly command: string;
  readonly machine: MachineInfo;
  readonly plan: BenchPlan;
  readonly conventions: readonly string[];
  readonly providers: readonly ProviderStatus[];
  readonly metrics: readonly Metric[];
  readonly cpu: readonly CpuCost[];
  readonly failures: readonly ScenarioFailure[];
  readonly notes: readonly string[];
  readonly details: readonly string[];
  /** Every timed run's raw numbers. */
  readonly runs: readonly RunRecord[];
  /** 1-minute load average when the run ended. */
  readonly loadAverageAtEnd: number;
  readonly durationSeconds: number;
}

/** How to read the numbers; printed with the table and stored in the JSON. */
export function conventions(plan: BenchPlan): string[] {
  return [
    'ratio: ≥ 1.00 means asyncdb is at least as good as the raw driver — asyncdb/raw for throughput (ops/s, rows/s), ' +
      'raw/asyncdb for time, latency and memory (peak RSS, wall-time multiples).',
    `asyncdb and raw: medians of ${plan.runs} runs per side (streaming: ${plan.streamingRuns}), run alternately ` +
      'asyncdb, raw, (other clients,) asyncdb, raw… after an untimed warm-up of each.',
    '↳ lines: the same measurement against another client a user could pick instead (pg pipeline mode, postgres.js; ' +
      'on SQLite, libsql on the main thread), ' +
      'from the same alternation; the "raw" column holds that client\'s value, the ratio is asyncdb against it, no target.',
    'target: from the issue; judged on the ratio, or on asyncdb\'s own value where it says "asyncdb". ' +
      'Targets are measured and reported here, never asserted in tests.',
  ];
}

/**
 * Notes every run prints. `embeddedPostgres`: whether the PostgreSQL measured is the embedded one (its settings are
 * noted; a server from ASYNCDB_PG_URL is described by its own line).
 */
export function standingNotes(providers: readonly ProviderName[], embeddedPostgres = true): string[] {
  const notes: string[] = [];
  if (providers.includes('mssql')) {
    notes.push(
      'mssql numbers measure provider-mssql + tedious against the TDS test server, a PostgreSQL-backed SQL Server ' +
        'emulator written in JavaScript (in its own process) — not against SQL Server. Both sides talk to the same emulator.',
    );
  }
  if (providers.includes('sqlite')) {
    notes.push(
      'sqlite: libsql is synchronous. asyncdb runs it in a worker thread per connection; the raw baseline is libsql in ' +
        'a worker thread too, one message per request (the least a non-blocking design costs); the ↳ line is libsql ' +
        'on the main thread, which blocks the event loop for every statement — the floor, not a peer. Client CPU ' +
        'counts every thread of the process. Open/close, concurrency and parallelism are not run on SQLite.',
    );
  }
  if (providers.includes('pg') && embeddedPostgres) {
    notes.push('The embedded PostgreSQL runs with fsync=off and synchronous_commit=off (a disposable server); the workloads here only read.');
  }
  return notes;
}
