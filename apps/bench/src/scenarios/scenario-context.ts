import type { ProviderName } from '../cli/names.js';
import type { BenchPlan } from '../run/plan.js';
import type { ScenarioOutcome } from '../run/results.js';
import type { Endpoint } from '../servers/endpoint.js';

/** What a scenario gets to measure one provider. */
export interface ScenarioContext {
  readonly provider: ProviderName;
  readonly endpoint: Endpoint;
  readonly plan: BenchPlan;
  /** The bundled streaming child (scenario 3 forks it once per run). */
  readonly streamChild: string;
  /** Progress output (stderr), so stdout keeps only the results. */
  readonly log: (line: string) => void;
}

/** A scenario: measures both sides for one provider. */
export type ScenarioRunner = (context: ScenarioContext) => Promise<ScenarioOutcome>;
