import type { ProviderName, ScenarioName } from '../cli/names.js';
import { median, ratio, type Better } from '../stats/stats.js';
import { meets, type Metric, type MetricUnit, type Target } from './results.js';

/** What {@link buildMetric} needs: the runs of both sides; the medians, ratio and verdict are computed here. */
export interface MetricInput {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  readonly label: string;
  readonly unit: MetricUnit;
  readonly better: Better;
  readonly asyncdbRuns: readonly number[];
  readonly rawRuns: readonly number[];
  readonly baseline: string;
  readonly target?: Target;
  /** The baseline is another client, not the raw driver (no target then). */
  readonly alternative?: boolean;
}

/** Summarises two sides' runs into one table line (medians, oriented ratio, target verdict). */
export function buildMetric(input: MetricInput): Metric {
  const asyncdb = median(input.asyncdbRuns);
  const raw = median(input.rawRuns);
  const oriented = ratio(asyncdb, raw, input.better);
  const metric: Metric = {
    scenario: input.scenario,
    provider: input.provider,
    label: input.label,
    unit: input.unit,
    better: input.better,
    asyncdb,
    raw,
    baseline: input.baseline,
    ratio: oriented,
    ...(input.alternative ? { alternative: true } : {}),
  };
  if (!input.target) return metric;
  const judged = input.target.on === 'ratio' ? oriented : asyncdb;
  return { ...metric, target: input.target, met: meets(input.target, judged) };
}
