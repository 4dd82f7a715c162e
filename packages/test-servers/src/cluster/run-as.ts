import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SystemUser } from './system-user.js';

const run = promisify(execFile);

/** Runs a program, as `user` when given (root starting servers that refuse root); rejects with its output when it fails. */
export async function runAs(user: SystemUser | undefined, command: string, args: readonly string[]): Promise<void> {
  try {
    await run(command, [...args], {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} failed: ${failure.message}\n${failure.stderr ?? ''}${failure.stdout ?? ''}`);
  }
}
