import { ConnectionStringError } from '@asyncdb/core';
import { stopOnExit } from '@asyncdb/test-servers';
import { Cleanup } from './cleanup.js';
import { readConfig, USAGE } from './config.js';
import { prepareDatabase } from './database.js';
import { loadDataset } from './dataset/load-dataset.js';
import { describeError } from './describe-error.js';
import { runFailover } from './failover/run-failover.js';
import { createOutput, type Output } from './output.js';
import { PROVIDER_PACKAGES, loadProvider } from './providers.js';
import { runScenarios } from './run-scenarios.js';
import { SCENARIOS } from './scenarios/scenario-list.js';
import { serve } from './serve.js';
import { formatDuration } from './timing.js';

/**
 * The composition root of `npm run demo`: read the configuration, register the chosen provider, get a database
 * (an embedded PostgreSQL unless a connection string was given), load the dataset, then run the scenarios — or,
 * with `serve`, start the web page. Resolves the exit code, or `undefined` while serving.
 */
async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: Output,
  cleanup: Cleanup,
): Promise<number | undefined> {
  let serving = false;
  try {
    const config = readConfig(argv, env);
    if (config.command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    output.line('asyncdb demo — the ADO.NET 2.0 asynchronous model (Begin/End, IAsyncResult, wait handles) on Node.js');
    const factory = await loadProvider(config.provider);
    output.line(`Provider:   ${config.provider} (${PROVIDER_PACKAGES[config.provider].packageName})`);
    if (config.command === 'failover') {
      const outcome = await runFailover(factory, output, cleanup);
      return outcome.gapMs !== undefined && outcome.untypedFailures === 0 ? 0 : 1;
    }
    const database = await prepareDatabase(config, factory, output, cleanup);
    const dataset = await loadDataset(factory, database.connectionString);
    output.line(
      `Dataset:    ${dataset.totalRows.toLocaleString('en-US')} rows (${dataset.rows.map(([table, count]) => `${table} ${count}`).join(', ')}), ` +
        `loaded in ${formatDuration(dataset.elapsedMs)}`,
    );
    if (config.command === 'serve') {
      await serve(config, factory, database.connectionString, output, cleanup);
      serving = true;
      return undefined;
    }
    const scenarios = SCENARIOS.filter((scenario) => config.scenarios.includes(scenario.name));
    const outcomes = await runScenarios(scenarios, factory, database.connectionString, output, cleanup.signal);
    return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
  } catch (error) {
    process.stderr.write(`\nasyncdb demo: ${describeError(error)}\n`);
    const usage = error instanceof ConnectionStringError || (error instanceof Error && error.name === 'ConfigError');
    if (usage) process.stderr.write('Run `npm run demo -- --help` for the options.\n');
    return exitCodeOf(error);
  } finally {
    if (!serving)
      await cleanup.stop().catch((error: unknown) => process.stderr.write(`asyncdb demo: ${describeError(error)}\n`));
  }
}

/** 2 for bad input (configuration, connection string, unavailable provider), 1 for everything else. */
function exitCodeOf(error: unknown): number {
  if (error instanceof ConnectionStringError) return 2;
  const code = (error as { exitCode?: unknown } | null)?.exitCode;
  return typeof code === 'number' ? code : 1;
}

const output = createOutput({
  write: (text) => process.stdout.write(text),
  interactive: process.stdout.isTTY === true,
});
const cleanup = new Cleanup();
// Ctrl-C, a kill, or a crash: the embedded server is still stopped and its directory removed.
stopOnExit(cleanup);
const exitCode = await main(process.argv.slice(2), process.env, output, cleanup);
if (exitCode !== undefined) {
  process.exitCode = exitCode;
  // Everything was released; should anything still hold the event loop, say so rather than hang.
  setTimeout(() => {
    process.stderr.write('asyncdb demo: something kept the process alive after cleanup; exiting anyway.\n');
    process.exit(exitCode);
  }, 10_000).unref();
}
