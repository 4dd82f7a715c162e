import { describe, expect, it } from 'vitest';
import { parseBenchArgs, UsageError } from './args.js';

describe('parseBenchArgs', () => {
  it('defaults to every provider and scenario, full size', () => {
    expect(parseBenchArgs([])).toEqual({
      quick: false,
      providers: ['pg', 'mysql', 'mssql', 'sqlite'],
      scenarios: ['round-trips', 'open-close', 'streaming', 'concurrency', 'parallelism'],
      help: false,
    });
  });

  it('reads --quick', () => {
    expect(parseBenchArgs(['--quick']).quick).toBe(true);
  });

  it('takes --provider repeated, comma-separated or with =, in canonical order without duplicates', () => {
    expect(parseBenchArgs(['--provider', 'mssql', '--provider', 'pg']).providers).toEqual(['pg', 'mssql']);
    expect(parseBenchArgs(['--provider=mysql,PG', '--provider', 'pg']).providers).toEqual(['pg', 'mysql']);
  });

  it('takes --scenario by name or by number', () => {
    expect(parseBenchArgs(['--scenario', 'streaming', '--scenario', '1']).scenarios).toEqual(['round-trips', 'streaming']);
    expect(parseBenchArgs(['--scenario=parallelism,4']).scenarios).toEqual(['concurrency', 'parallelism']);
  });

  it('refuses unknown providers, scenarios, options and stray arguments with a UsageError', () => {
    expect(() => parseBenchArgs(['--provider', 'oracle'])).toThrow(/Unknown provider 'oracle'/);
    expect(() => parseBenchArgs(['--scenario', '9'])).toThrow(/Unknown scenario '9'/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(UsageError);
    expect(() => parseBenchArgs(['pg'])).toThrow(/Unexpected argument: pg/);
  });

  it('reads --runs as a whole number of runs per side, and refuses anything else', () => {
    expect(parseBenchArgs(['--runs', '3']).runs).toBe(3);
    expect(parseBenchArgs([]).runs).toBeUndefined();
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs wants a whole number/);
    expect(() => parseBenchArgs(['--runs=2.5'])).toThrow(/--runs wants a whole number/);
    expect(() => parseBenchArgs(['--runs', 'many'])).toThrow(/'many'/);
  });

  it('refuses --provider without a value', () => {
    expect(() => parseBenchArgs(['--provider'])).toThrow(UsageError);
  });

  it('reads --help and -h', () => {
    expect(parseBenchArgs(['--help']).help).toBe(true);
    expect(parseBenchArgs(['-h']).help).toBe(true);
  });
});
