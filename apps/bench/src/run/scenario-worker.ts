/**
 * Runs one scenario for one provider in a process of its own (forked by run-benchmark.ts from the bundle), so that
 * every scenario starts from the same state — no pools, JIT profiles or heap left over from the one before — and
 * runs as plain JavaScript (see bundle.ts). Progress lines and the outcome go back over IPC.
 */
import type { ProviderName, ScenarioName } from '../cli/names.js';
import { registerProvider } from '../asyncdb/register-providers.js';
import { SCENARIO_RUNNERS } from '../scenarios/scenario-runners.js';
import type { Endpoint } from '../servers/endpoint.js';
import type { BenchPlan } from './plan.js';
import type { ScenarioOutcome } from './results.js';

/** What the parent asks for. */
export interface ScenarioRequest {
  readonly scenario: ScenarioName;
  readonly provider: ProviderName;
  readonly endpoint: Endpoint;
  readonly plan: BenchPlan;
  /** The bundled streaming child, for scenario 3. */
  readonly streamChild: string;
}

/** What the worker sends back: progress lines, then the outcome or the error. */
export type ScenarioMessage =
  | { readonly log: string }
  | { readonly outcome: ScenarioOutcome }
  | { readonly error: string };

function send(message: ScenarioMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

process.once('message', (request: ScenarioRequest) => {
  const run = async (): Promise<ScenarioMessage> => {
    const factory = await registerProvider(request.provider);
    try {
      const outcome = await SCENARIO_RUNNERS[request.scenario]({
        provider: request.provider,
        endpoint: request.endpoint,
        plan: request.plan,
        streamChild: request.streamChild,
        log: (line) => void send({ log: line }),
      });
      return { outcome };
    } finally {
      await factory.clearAllPools().catch(() => {});
    }
  };
  run()
    .catch((error: unknown): ScenarioMessage => ({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then(send)
    .then(() => process.exit(0));
});
