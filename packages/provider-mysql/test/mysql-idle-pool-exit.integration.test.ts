import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionString } from './mysql-test-server.js';

const CHILD = fileURLToPath(new URL('./fixtures/idle-pool-child.ts', import.meta.url));

/** Runs the child; resolves its exit code and output, or 'hung' when it is still running after `timeoutMs`. */
function runChild(args: string[], timeoutMs: number): Promise<{ code: number | null | 'hung'; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@asyncdb/source', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: 'hung', output });
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('an idle pool never keeps the process alive', () => {
  it('exits by itself after one pooled open and close', async () => {
    const result = await runChild([connectionString('Max Pool Size=2'), '1', '1'], 20_000);
    expect(result).toEqual({ code: 0, output: 'opened 1\n' });
  }, 30_000);

  it('exits by itself after 30 callers shared a pool of 3 (sessions handed from close to waiting open)', async () => {
    const result = await runChild([connectionString('Max Pool Size=3'), '30', '600'], 20_000);
    expect(result).toEqual({ code: 0, output: 'opened 600\n' });
  }, 30_000);
});
