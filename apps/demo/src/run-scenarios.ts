import type { DbProviderFactory } from '@asyncdb/core';
import { describeError } from './describe-error.js';
import type { Output } from './output.js';
import type { Scenario } from './scenarios/scenario-list.js';
import { formatDuration, startStopwatch } from './timing.js';

/** How one scenario went. */
export interface ScenarioOutcome {
  readonly name: string;
  readonly ok: boolean;
  readonly elapsedMs: number;
}

/**
 * Runs the scenarios in order under numbered headings, each timed. A failing scenario is reported and the next
 * one still runs, so one problem does not hide the others; the summary line says how many passed.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  const total = startStopwatch();
  for (const [index, scenario] of scenarios.entries()) {
    output.heading(`${index + 1}/${scenarios.length} ${scenario.title}`, scenario.explanation);
    const elapsed = startStopwatch();
    try {
      await scenario.run(factory, connectionString, output);
      outcomes.push({ name: scenario.name, ok: true, elapsedMs: elapsed() });
      output.line(`(${scenario.name}: ${formatDuration(elapsed())})`);
    } catch (error) {
      outcomes.push({ name: scenario.name, ok: false, elapsedMs: elapsed() });
      output.failure(`${scenario.name} failed after ${formatDuration(elapsed())}: ${describeError(error)}`);
    }
  }
  const failed = outcomes.filter((outcome) => !outcome.ok);
  output.line();
  if (failed.length === 0) {
    output.success(`All ${outcomes.length} scenarios passed in ${formatDuration(total())}.`);
  } else {
    output.failure(`${failed.length} of ${outcomes.length} scenarios failed (${failed.map((f) => f.name).join(', ')}), in ${formatDuration(total())}.`);
  }
  return outcomes;
}
