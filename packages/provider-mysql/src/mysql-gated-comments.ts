import { NotSupportedError, type CommandRequest } from '@asyncdb/core';

/**
 * Core's MySQL dialect reads every executable comment as code, so a `@name` inside `/*!NNNNN … *\/` or `/*M! … *\/`
 * becomes a `?` bound to the next value. The scanner cannot know the server: a comment this server skips (a version
 * above its own, or `/*M!` on MySQL) hides that `?` from it, and every value after it would bind to the wrong
 * marker. Such a statement is refused instead, before anything is sent. (A `?` inside a string literal in the
 * skipped comment is refused too: this reads the comment's text, not its tokens.) `connection` is the one executing: its
 * version is read only for a statement with parameters and a comment (no closure per command).
 */
export function refusedSkippedMarker(
  request: CommandRequest,
  connection: { readonly serverVersion: string },
): NotSupportedError | undefined {
  let server: { readonly mariadb: boolean; readonly version: number } | undefined;
  const statements = request.statements;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    if (statement.parameters.length === 0 || !statement.text.includes('/*')) continue;
    server ??= parseServer(connection.serverVersion);
    const skipped = firstSkippedMarker(statement.text, server.mariadb, server.version);
    if (skipped !== undefined) {
      return new NotSupportedError(
        `A parameter marker sits in the executable comment at position ${skipped}, which this server skips (its ` +
          'version gate is above the server, or it is /*M! on MySQL): its value would shift every later one. Move ' +
          'the parameter out of the version-gated comment.',
      );
    }
  }
  return undefined;
}

function parseServer(text: string): { mariadb: boolean; version: number } {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(text)?.slice(1) ?? []).map(Number);
  return { mariadb: /mariadb/i.test(text), version: major * 10_000 + minor * 100 + patch };
}

/** The position of the first executable comment the server skips that holds a `?`, if any. */
function firstSkippedMarker(text: string, mariadb: boolean, version: number): number | undefined {
  const opener = /\/\*(M?)!(\d{5,6})?/g;
  for (let match = opener.exec(text); match !== null; match = opener.exec(text)) {
    const mariadbOnly = match[1] === 'M';
    const gate = match[2] === undefined ? 0 : Number(match[2]);
    const skipped = (mariadbOnly && !mariadb) || gate > version;
    if (!skipped) continue;
    const end = text.indexOf('*/', opener.lastIndex);
    const body = text.slice(opener.lastIndex, end < 0 ? text.length : end);
    if (body.includes('?')) return match.index;
  }
  return undefined;
}
