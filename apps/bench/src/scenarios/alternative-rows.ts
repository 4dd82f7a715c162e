import { buildMetric, type MetricInput } from '../run/metric.js';
import type { CpuCost, Metric } from '../run/results.js';
import type { BenchSubject } from '../run/subject.js';

/**
 * The table lines comparing asyncdb with each alternative client, built like the raw driver's line `main`: the same
 * label with "vs <client>", that client's runs as the baseline, no target (the targets are against the raw driver).
 */
export function alternativeMetrics(
  main: MetricInput,
  alternatives: readonly BenchSubject[],
  runsOf: (subject: BenchSubject) => readonly number[],
  baselineOf: (subject: BenchSubject) => string,
): Metric[] {
  return alternatives.map((subject) => {
    const { target: _target, ...rest } = main;
    return buildMetric({
      ...rest,
      label: `${main.label} vs ${subject.name}`,
      rawRuns: runsOf(subject),
      baseline: baselineOf(subject),
      alternative: true,
    });
  });
}

/** The client-CPU lines for each alternative client, next to the raw driver's line `main`. */
export function alternativeCosts(
  main: CpuCost,
  alternatives: readonly BenchSubject[],
  microsOf: (subject: BenchSubject) => number,
  baselineOf: (subject: BenchSubject) => string,
): CpuCost[] {
  return alternatives.map((subject) => ({
    ...main,
    operation: `${main.operation} vs ${subject.name}`,
    rawMicros: microsOf(subject),
    baseline: baselineOf(subject),
    alternative: true,
  }));
}
