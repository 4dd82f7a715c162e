import { execFileSync } from 'node:child_process';
import { chownSync } from 'node:fs';

/** The uid and gid a server process runs as, when this process is root and the server refuses to. */
export interface SystemUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * The system user `name` when this process runs as root (PostgreSQL refuses to run as root, and MariaDB needs
 * `--user`), else undefined: the servers then run as the current user. Throws, saying what to do, when root has no
 * such user.
 */
export function serverUser(name: string): SystemUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      `Running as root: the test cluster runs its servers as the system user "${name}", which does not exist. ` +
        `Install the Debian package that creates it (postgresql / mariadb-server) or run the tests as another user.`,
    );
  }
}

/** Hands `path` to `user` (a directory the server writes); a no-op when there is no user to switch to. */
export function giveTo(path: string, user: SystemUser | undefined): void {
  if (user) chownSync(path, user.uid, user.gid);
}
