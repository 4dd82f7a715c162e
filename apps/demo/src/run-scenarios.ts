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
 * one still runs, so one problem does not hide the others; the summary line says how many passed. Once
 * `interrupted` aborts (Ctrl-C), nothing more is started.
 */
export async function runScenarios(
  scenarios: readonly Scenario[],
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
  interrupted?: AbortSignal,
): Promise<ScenarioOutcome[]> {
  const outcomes: ScenarioOutcome[] = [];
  const total = startStopwatch();
  let saidInterrupted = false;
  for (const [index, scenario] of scenarios.entries()) {
    output.heading(`${index + 1}/${scenarios.length} ${scenario.title}`, scenario.explanation);
    const elapsed = startStopwatch();
    // Said the moment Ctrl-C arrives (the abort fires before any cleanup step runs): once the database is stopped the
    // process re-raises the signal, possibly before the interrupted scenario has even failed.
    const sayInterrupted = (): void => {
      saidInterrupted = true;
      output.failure(`Interrupted during ${scenario.name}; the remaining scenarios are skipped.`);
    };
    interrupted?.addEventListener('abort', sayInterrupted, { once: true });
    try {
      await scenario.run(factory, connectionString, output);
      outcomes.push({ name: scenario.name, ok: true, elapsedMs: elapsed() });
      output.line(`(${scenario.name}: ${formatDuration(elapsed())})`);
    } catch (error) {
      outcomes.push({ name: scenario.name, ok: false, elapsedMs: elapsed() });
      // Ctrl-C: the database is going away under the scenario; its errors say nothing about the scenario.
      if (interrupted?.aborted) return outcomes;
      output.failure(`${scenario.name} failed after ${formatDuration(elapsed())}: ${describeError(error)}`);
    } finally {
      interrupted?.removeEventListener('abort', sayInterrupted);
    }
    if (interrupted?.aborted) {
      if (!saidInterrupted) output.failure('Interrupted; the remaining scenarios are skipped.');
      return outcomes;
    }
  }
  const failed = outcomes.filter((outcome) => !outcome.ok);
  output.line();
  if (failed.length === 0) {
    const passed = outcomes.length === 1 ? 'The scenario passed' : `All ${outcomes.length} scenarios passed`;
    output.success(`${passed} in ${formatDuration(total())}.`);
  } else {
    output.failure(
      `${failed.length} of ${outcomes.length} scenarios failed (${failed.map((f) => f.name).join(', ')}), in ${formatDuration(total())}.`,
    );
  }
  return outcomes;
}
