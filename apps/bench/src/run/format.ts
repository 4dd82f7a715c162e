import type { MetricUnit } from './results.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number with thousands separators and `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return digits === 0 ? integer.format(value) : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A metric's value in its unit: `12,345/s`, `48.2 MB`, `3.41 ms`, `1.02×`. */
export function formatValue(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'per-second':
      return `${formatNumber(value)}/s`;
    case 'bytes':
      return `${formatNumber(value / 1e6, 1)} MB`;
    case 'ms':
      return `${formatNumber(value, value < 10 ? 2 : 1)} ms`;
    case 'multiple':
      return `${formatNumber(value, 2)}×`;
  }
}

/** A ratio with two decimals. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}
