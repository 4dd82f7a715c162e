import os from 'node:os';
import type { BenchOptions } from '../cli/args.js';
import { scenarioSkip } from '../cli/scenario-skips.js';
import { conventions, standingNotes, type ProviderStatus, type ResultsDocument } from '../report/results-document.js';
import { startServers } from '../servers/start-servers.js';
import { buildWorkerBundle } from './bundle.js';
import { describeMachine } from './machine.js';
import { planFor } from './plan.js';
import type { CpuCost, Metric, RunRecord, ScenarioFailure } from './results.js';
import { runScenarioInWorker } from './run-scenario-worker.js';

/**
 * The whole benchmark: the measured code bundled, servers up, every chosen scenario for every reachable provider —
 * each in a fresh worker process, one after the other — servers down. A provider whose server is unreachable is skipped
 * with the reason; a scenario that fails is recorded and the run goes on.
 */
export async function runBenchmark(options: BenchOptions, command: string, log: (line: string) => void): Promise<ResultsDocument> {
  const started = performance.now();
  const plan = planFor(options.quick, options.runs);
  const machine = describeMachine();
  const metrics: Metric[] = [];
  const runs: RunRecord[] = [];
  const cpu: CpuCost[] = [];
  const failures: ScenarioFailure[] = [];
  const details: string[] = [];
  const providers: ProviderStatus[] = [];

  const bundle = await buildWorkerBundle();
  const servers = await startServers(options.providers, bundle.tdsServer, log);
  try {
    for (const provider of options.providers) {
      const endpoint = servers.endpoints.get(provider);
      if (!endpoint) {
        providers.push({ provider, status: 'skipped', detail: servers.skipped.get(provider) ?? 'no server' });
        log(`${provider}: skipped — ${servers.skipped.get(provider) ?? 'no server'}`);
        continue;
      }
      providers.push({ provider, status: 'measured', detail: endpoint.description });
      for (const scenario of options.scenarios) {
        const skip = scenarioSkip(provider, scenario);
        if (skip !== undefined) {
          details.push(`${provider}: ${scenario} not run — ${skip}`);
          log(`${provider}: ${scenario} not run — ${skip}`);
          continue;
        }
        log(`${provider}: ${scenario}`);
        try {
          const request = { scenario, provider, endpoint, plan, streamChild: bundle.streamChild };
          const outcome = await runScenarioInWorker(bundle.scenarioWorker, request, log);
          metrics.push(...outcome.metrics);
          runs.push(...outcome.runs);
          cpu.push(...outcome.cpu);
          details.push(...outcome.details);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ scenario, provider, error: message });
          log(`${provider}: ${scenario} FAILED: ${message}`);
        }
      }
    }
  } finally {
    await servers.stop();
  }
  const measured = providers.filter((status) => status.status === 'measured').map((status) => status.provider);
  return {
    command,
    machine,
    plan,
    conventions: conventions(plan),
    providers,
    metrics,
    cpu,
    failures,
    notes: standingNotes(measured, servers.endpoints.get('pg')?.description.startsWith('embedded') ?? false),
    details,
    runs,
    loadAverageAtEnd: os.loadavg()[0] ?? 0,
    durationSeconds: (performance.now() - started) / 1000,
  };
}
