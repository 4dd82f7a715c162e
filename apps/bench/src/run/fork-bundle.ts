import { fork, type ChildProcess } from 'node:child_process';

/** Forks a bundled module on plain Node (no loader hooks), with an IPC channel; stdout/stderr are shared. */
export function forkBundle(modulePath: string, execArgv: readonly string[] = []): ChildProcess {
  return fork(modulePath, [], { execArgv: [...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
