import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startSilentServer } from '../test/silent-server.js';
import { findFreePort } from './free-port.js';
import { redactUrl } from './redact-url.js';
import { probePostgres, resolvePostgres } from './resolve-postgres.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './start-embedded-postgres.js';

let external: EmbeddedPostgres;

beforeAll(async () => {
  external = await startEmbeddedPostgres();
});

afterAll(async () => {
  await external.stop();
});

afterEach(() => {
  vi.unstubAllEnvs();
});

/** The error `resolvePostgres` fails with. */
async function failure(): Promise<Error> {
  return resolvePostgres().then(
    () => new Error('expected resolvePostgres to fail'),
    (error: unknown) => error as Error,
  );
}

describe('resolvePostgres', () => {
  it('uses the server at ASYNCDB_PG_URL and does not stop it', async () => {
    vi.stubEnv('ASYNCDB_PG_URL', external.url);
    const handle = await resolvePostgres();
    expect(handle).toMatchObject({ url: external.url, embedded: false });
    await handle.stop();
    await expect(probePostgres(external.url)).resolves.toBeUndefined();
  });

  it('starts an embedded PostgreSQL when ASYNCDB_PG_URL is not set', async () => {
    vi.stubEnv('ASYNCDB_PG_URL', undefined);
    const handle = await resolvePostgres();
    try {
      expect(handle.embedded).toBe(true);
      expect(handle.url).not.toBe(external.url);
      await expect(probePostgres(handle.url)).resolves.toBeUndefined();
    } finally {
      await handle.stop();
    }
    await expect(probePostgres(handle.url, 1_000)).rejects.toThrow();
  });

  it('fails with the redacted URL and how to fix it when nothing listens at ASYNCDB_PG_URL', async () => {
    const url = `postgres://tester:Sup3rSecret@127.0.0.1:${await findFreePort()}/nowhere`;
    vi.stubEnv('ASYNCDB_PG_URL', url);
    const { message } = await failure();
    expect(message).toContain(`ASYNCDB_PG_URL is set to ${redactUrl(url)}`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('correct ASYNCDB_PG_URL');
    expect(message).toContain('unset ASYNCDB_PG_URL');
    expect(message).not.toContain('Sup3rSecret');
  });

  it('fails without revealing the password when the server rejects it', async () => {
    const url = `postgres://${external.user}:Wr0ngSecret@127.0.0.1:${external.port}/${external.database}`;
    vi.stubEnv('ASYNCDB_PG_URL', url);
    const { message } = await failure();
    expect(message).toContain('password authentication failed');
    expect(message).toContain(redactUrl(url));
    expect(message).not.toContain('Wr0ngSecret');
  });
});

describe('probePostgres', () => {
  it('gives up on a server that never answers after the timeout', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      await expect(probePostgres(`postgres://u:p@127.0.0.1:${silent.port}/db`, 300)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await silent.close();
    }
  });
});
