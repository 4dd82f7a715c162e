import { callbacksScenario } from './callbacks.js';
import { cancellationScenario } from './cancellation.js';
import { errorsScenario } from './errors.js';
import { pollingScenario } from './polling.js';
import type { ScenarioFunction } from './scenario.js';
import { waitHandlesScenario } from './wait-handles.js';

/** The scenario names `--only` accepts, in the order the demo runs them. */
export const SCENARIO_NAMES = ['polling', 'wait-handles', 'callbacks', 'errors', 'cancellation'] as const;
/** One of {@link SCENARIO_NAMES}. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A scenario with its heading. */
export interface Scenario {
  readonly name: ScenarioName;
  readonly title: string;
  readonly explanation: string;
  readonly run: ScenarioFunction;
}

/** Every scenario, in the order the demo runs them. */
export const SCENARIOS: readonly Scenario[] = Object.freeze([
  {
    name: 'polling',
    title: 'Polling',
    explanation:
      'beginExecuteNonQuery on a slow UPDATE; poll isCompleted while it runs; endExecuteNonQuery → rows affected.',
    run: pollingScenario,
  },
  {
    name: 'wait-handles',
    title: 'Parallel queries with wait handles',
    explanation: 'Three commands on three connections; WaitHandle.waitAny handles each as it completes.',
    run: waitHandlesScenario,
  },
  {
    name: 'callbacks',
    title: 'Callbacks',
    explanation: 'beginOpen with a callback and the connection as state; the callback calls endOpen.',
    run: callbacksScenario,
  },
  {
    name: 'errors',
    title: 'Errors',
    explanation: 'What can be checked before sending is thrown by Begin; what the server reports is rejected by End.',
    run: errorsScenario,
  },
  {
    name: 'cancellation',
    title: 'Cancellation',
    explanation: 'abort() stops a long query on the server; the same connection then runs another query.',
    run: cancellationScenario,
  },
] satisfies Scenario[]);
