import type { ScenarioName } from '../cli/names.js';
import { runConcurrency } from './concurrency.js';
import { runOpenClose } from './open-close.js';
import { runParallelism } from './parallelism.js';
import type { ScenarioRunner } from './scenario-context.js';
import { runRoundTrips } from './round-trips.js';
import { runStreaming } from './streaming.js';

/** Each scenario's runner. */
export const SCENARIO_RUNNERS: Readonly<Record<ScenarioName, ScenarioRunner>> = {
  'round-trips': runRoundTrips,
  'open-close': runOpenClose,
  streaming: runStreaming,
  concurrency: runConcurrency,
  parallelism: runParallelism,
};
