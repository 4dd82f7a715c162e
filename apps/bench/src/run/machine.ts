import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The machine and revision a run was measured on (bench-results.json, docs/benchmarks.md). */
export interface MachineInfo {
  readonly date: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly platform: string;
  readonly kernel: string;
  readonly node: string;
  readonly gitCommit: string;
  /** True when the working tree had uncommitted changes (the numbers are then not exactly `gitCommit`'s). */
  readonly gitDirty: boolean;
  /** 1-minute load average when the run started: other work on the machine skews wall-clock numbers. */
  readonly loadAverageAtStart: number;
}

function git(args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', [...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Describes this machine now. */
export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.arch()}`,
    kernel: os.release(),
    node: process.version,
    gitCommit: git(['rev-parse', 'HEAD']) ?? 'unknown',
    gitDirty: (git(['status', '--porcelain', '--untracked-files=no']) ?? '') !== '',
    loadAverageAtStart: os.loadavg()[0] ?? 0,
  };
}
