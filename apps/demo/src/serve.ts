import type { DbProviderFactory } from '@asyncdb/core';
import type { Cleanup } from './cleanup.js';
import { ConfigError, type Config } from './config.js';
import { describeError } from './describe-error.js';
import type { Output } from './output.js';
import { startWebServer } from './web/web-server.js';

/**
 * `npm run demo -- serve`: starts the web server and returns; it runs until Ctrl-C, when `cleanup` (run by
 * `stopOnExit`) closes it, empties the pools and stops the embedded database.
 */
export async function serve(
  config: Config,
  factory: DbProviderFactory,
  connectionString: string,
  output: Output,
  cleanup: Cleanup,
): Promise<string> {
  let server;
  try {
    server = await startWebServer({
      factory,
      connectionString,
      host: config.host,
      port: config.port,
      onError: (error) => output.failure(`A request failed: ${describeError(error)}`),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new ConfigError(
        `Port ${config.port} on ${config.host} is in use. Choose another with --port <n> (0 = any free port).`,
      );
    }
    throw error;
  }
  cleanup.add(async () => {
    await server.close();
    output.line('Web server stopped.');
  });
  output.heading(
    'The asynchronous customer page',
    'Three queries begun at once, each section streamed in as its query completes.',
  );
  output.line(`Customers:             ${server.url}/`);
  output.line(`An asynchronous page:  ${server.url}/customers/1`);
  output.line(`Your own delays:       ${server.url}/customers/1?delays=0.9,0.3,0.6  (customer, orders, details)`);
  output.line('Press Ctrl-C to stop.');
  return server.url;
}
