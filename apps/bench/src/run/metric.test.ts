import { describe, expect, it } from 'vitest';
import { buildMetric, type MetricInput } from './metric.js';

const base: MetricInput = {
  scenario: 'round-trips',
  provider: 'pg',
  label: 'round trips',
  unit: 'per-second',
  better: 'higher',
  asyncdbRuns: [900, 1000, 950],
  rawRuns: [1000, 990, 1010],
  baseline: 'pg.Client#query',
};

describe('buildMetric', () => {
  it('reports the medians of both sides and asyncdb/raw for throughput', () => {
    const metric = buildMetric(base);
    expect(metric.asyncdb).toBe(950);
    expect(metric.raw).toBe(1000);
    expect(metric.ratio).toBeCloseTo(0.95);
    expect(metric.met).toBeUndefined();
  });

  it('judges a ratio target on the oriented ratio', () => {
    expect(buildMetric({ ...base, target: { on: 'ratio', op: '>=', value: 0.95 } }).met).toBe(true);
    expect(buildMetric({ ...base, asyncdbRuns: [940], target: { on: 'ratio', op: '>=', value: 0.95 } }).met).toBe(false);
  });

  it('orients memory as raw/asyncdb and judges an absolute target on asyncdb alone', () => {
    const metric = buildMetric({
      ...base,
      unit: 'bytes',
      better: 'lower',
      asyncdbRuns: [80e6],
      rawRuns: [400e6],
      target: { on: 'asyncdb', op: '<', value: 100e6 },
    });
    expect(metric.ratio).toBe(5);
    expect(metric.met).toBe(true);
    expect(buildMetric({ ...base, better: 'lower', asyncdbRuns: [100e6], rawRuns: [1], target: { on: 'asyncdb', op: '<', value: 100e6 } }).met).toBe(false);
  });
});
