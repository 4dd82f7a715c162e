import { createRequire } from 'node:module';

/**
 * Parses token bytes with tedious' own token parser, so encoder tests check the bytes against the
 * client that must read them rather than against a second implementation of the specification.
 */

/** A token as tedious' parser returns it (its fields depend on the token). */
export type TediousToken = { name: string; handlerName: string } & Record<string, unknown>;

const require = createRequire(import.meta.url);
const StreamParser = require('tedious/lib/token/stream-parser.js') as {
  parseTokens(
    iterable: Iterable<Buffer>,
    debug: unknown,
    options: object,
    colMetadata?: unknown[],
  ): AsyncGenerator<TediousToken | undefined>;
};
const Debug = require('tedious/lib/debug.js') as new () => unknown;

/** Parses a response payload (possibly fed in several chunks) into tedious tokens. */
export async function parseTokens(
  chunks: Buffer | Buffer[],
  options: { colMetadata?: unknown[] } = {},
): Promise<TediousToken[]> {
  const tokens: TediousToken[] = [];
  const parserOptions = {
    tdsVersion: '7_4',
    useUTC: true,
    lowerCaseGuids: false,
    useColumnNames: false,
    camelCaseColumns: false,
  };
  for await (const token of StreamParser.parseTokens(
    Array.isArray(chunks) ? chunks : [chunks],
    new Debug(),
    parserOptions,
    options.colMetadata ?? [],
  )) {
    if (token) tokens.push(token);
  }
  return tokens;
}
