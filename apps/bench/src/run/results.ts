import type { ProviderName, ScenarioName } from '../cli/names.js';
import type { Better } from '../stats/stats.js';

/** How a metric's values are printed. */
export type MetricUnit = 'per-second' | 'bytes' | 'ms' | 'multiple';

/** A target from the issue: on the ratio (asyncdb relative to raw) or on asyncdb's own value. */
export interface Target {
  readonly on: 'ratio' | 'asyncdb';
  readonly op: '>=' | '<=' | '<';
  readonly value: number;
}

/** One line of the results table: medians of both sides, their ratio, and the target if there is one. */
export interface Metric {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  /** What is measured, e.g. "round trips (ops/s)". */
  readonly label: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  /** Median over asyncdb's runs. */
  readonly asyncdb: number;
  /** Median over the baseline's runs. */
  readonly raw: number;
  /** What the baseline is, e.g. "pg.Client#query". */
  readonly baseline: string;
  /** Oriented so that ≥ 1 means asyncdb is as good (see `ratio` in stats.ts). */
  readonly ratio: number;
  readonly target?: Target;
  /** Whether the target was met (absent without a target). */
  readonly met?: boolean;
  /**
   * True when the baseline is another client a user could pick instead (pg pipeline mode, postgres.js), not the raw
   * driver asyncdb is built on: the ratio is asyncdb ÷ that client, and no target applies.
   */
  readonly alternative?: boolean;
}

/** One timed run's raw numbers, kept in bench-results.json. */
export interface RunRecord {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  /** 'asyncdb', or the baseline's name. */
  readonly subject: string;
  /** 1-based index of the run for this subject. */
  readonly run: number;
  /** Extra key, e.g. the command count of a parallelism run. */
  readonly variant?: string;
  readonly values: Readonly<Record<string, number>>;
}

/** Client CPU per operation, shown next to the wall-clock numbers (robust when the machine is shared). */
export interface CpuCost {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  readonly operation: string;
  readonly asyncdbMicros: number;
  readonly rawMicros: number;
  readonly baseline: string;
  /** True when `rawMicros` is another client's (see {@link Metric.alternative}). */
  readonly alternative?: boolean;
}

/** What one scenario produced for one provider. */
export interface ScenarioOutcome {
  readonly metrics: readonly Metric[];
  readonly runs: readonly RunRecord[];
  readonly cpu: readonly CpuCost[];
  readonly details: readonly string[];
}

/** A scenario that could not complete for a provider. */
export interface ScenarioFailure {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  readonly error: string;
}

/** Whether `value` satisfies `target`. */
export function meets(target: Target, value: number): boolean {
  switch (target.op) {
    case '>=':
      return value >= target.value;
    case '<=':
      return value <= target.value;
    case '<':
      return value < target.value;
  }
}
