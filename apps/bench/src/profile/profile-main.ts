/**
 * `npm run profile --workspace=@asyncdb/bench -- [--provider pg,mysql,mssql] [--operations N]`: what one sequential
 * `SELECT 1` costs the client on an open session — promises and timers created, heap allocated, client CPU — for
 * asyncdb's `executeScalar` and for the raw driver, each side in a fresh process running the bundled code.
 */
import { isProviderName, PROVIDERS, type ProviderName } from '../cli/names.js';
import { buildWorkerBundle } from '../run/bundle.js';
import { forkBundle } from '../run/fork-bundle.js';
import { startServers } from '../servers/start-servers.js';
import type { Endpoint } from '../servers/endpoint.js';
import type { ProfileRequest, ProfileResult } from './profile-worker.js';

/** A young generation large enough that the heap pass runs without a scavenge (256 MB semi-spaces). */
const WORKER_FLAGS = ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256'];

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

function runWorker(module: string, request: ProfileRequest): Promise<ProfileResult> {
  return new Promise((resolve, reject) => {
    const worker = forkBundle(module, WORKER_FLAGS);
    worker.once('message', (message: { result?: ProfileResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(message.error)),
    );
    worker.once('exit', (code) => reject(new Error(`the profile worker exited (${code}) without a result`)));
    worker.send(request);
  });
}

function row(provider: string, side: string, result: ProfileResult): string {
  const heap = `${(result.heapBytes / 1024).toFixed(1)} KB${result.heapExact ? '' : ' (gc ran)'}`;
  return [provider, side, result.promises.toFixed(1), result.timeouts.toFixed(2), heap, `${result.cpuMicros.toFixed(1)} µs`].join('\t');
}

async function main(): Promise<void> {
  const providers = (argument('provider') ?? PROVIDERS.join(','))
    .split(',')
    .filter((name): name is ProviderName => isProviderName(name));
  const operations = Number(argument('operations') ?? 2_000);
  const bundle = await buildWorkerBundle();
  const servers = await startServers(providers, bundle.tdsServer, (line) => console.error(line));
  try {
    console.log(['provider', 'side', 'promises/op', 'timers/op', 'heap/op', 'client CPU/op'].join('\t'));
    for (const [provider, endpoint] of servers.endpoints as ReadonlyMap<ProviderName, Endpoint>) {
      for (const side of ['raw', 'asyncdb'] as const) {
        const result = await runWorker(bundle.profileWorker, { provider, side, endpoint, operations });
        console.log(row(provider, side, result));
      }
    }
    for (const [provider, reason] of servers.skipped) console.log(`${provider}: skipped (${reason})`);
  } finally {
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
