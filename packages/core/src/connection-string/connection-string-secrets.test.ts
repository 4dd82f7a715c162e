import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from '../errors/errors.js';
import { DbConnectionStringBuilder } from './connection-string-builder.js';
import { COMMON_KEYWORDS, defineKeywords } from './connection-string-keywords.js';
import { parseConnectionUrl } from './url-connection-string.js';

// Issue 13 item 1: a malformed or unknown key may be (part of) a password; no error text or property may show it.

const KEYWORDS = defineKeywords(COMMON_KEYWORDS, [
  { name: 'Host', synonyms: ['Server', 'Data Source'], type: 'string' },
  { name: 'Port', type: 'integer', min: 1, max: 65535 },
  { name: 'Database', type: 'string' },
  { name: 'User ID', type: 'string' },
  { name: 'SSL Mode', type: 'enum', values: ['Disable', 'Require'] },
]);

/** A builder that also reads `postgres://` URLs, as the providers' builders do. */
class UrlBuilder extends DbConnectionStringBuilder {
  constructor(text: string) {
    super(undefined, KEYWORDS);
    this.connectionString = text;
  }
  protected override urlToPairs(url: string): Array<[string, string]> {
    return parseConnectionUrl(url, {
      host: 'Host',
      port: 'Port',
      database: 'Database',
      user: 'User ID',
      password: 'Password',
    });
  }
}

/** Every text and property of `error` a user or a logger could look at. */
function views(error: unknown): string[] {
  const e = error as ConnectionStringError;
  return [
    e.message,
    String(e),
    e.stack ?? '',
    JSON.stringify(e),
    inspect(e, { depth: 6, showHidden: true }),
    String(e.keyword),
    String(e.paramName),
    String(e.position),
  ];
}

/** The error `action` throws, or undefined. */
function thrown(action: () => unknown): unknown {
  try {
    action();
    return undefined;
  } catch (error) {
    return error;
  }
}

function expectNoSecret(action: () => unknown, secret: string): void {
  const error = thrown(action);
  if (error === undefined) return;
  expect(error).toBeInstanceOf(ConnectionStringError);
  const leaked = views(error).find((view) => view.includes(secret));
  expect(leaked, `the secret ${secret} in an error view`).toBeUndefined();
}

const BUILDERS: Array<[string, (text: string) => unknown]> = [
  ['a strict builder', (text) => new DbConnectionStringBuilder(text, KEYWORDS)],
  ['the generic builder', (text) => new DbConnectionStringBuilder(text)],
  ['a builder reading URLs', (text) => new UrlBuilder(text)],
];

describe('connection-string errors never show a secret', () => {
  const SECRET = 'Tr0ub4dor&3';
  const cases = [
    `Server=db;User ID=app;Password:${SECRET};Database=shop`,
    `Server=db;Password=${SECRET};horse=battery`,
    `Password=correct;${SECRET}=battery`,
    `Password=${SECRET}`.replace('=', '-'),
    `Password='${SECRET}`,
    `Password=${SECRET}'`,
    `Password="${SECRET}"x`,
    `Password=a;${SECRET}`,
    `Password=${SECRET}\x01`,
    `${SECRET}\x01=1`,
    `Port=${SECRET}`,
    `SSL Mode=${SECRET}`,
    `postgres://h/db?${SECRET}=1`,
    `postgres://h/db?Port=${SECRET}`,
    `Password=a\0${SECRET}`,
  ];
  for (const [name, build] of BUILDERS) {
    it.each(cases)(`${name}: %j`, (text) => expectNoSecret(() => build(text), SECRET));
  }

  it('reports the unknown key of the issue by position, with a hint naming only a known keyword', () => {
    const error = thrown(() => new DbConnectionStringBuilder(cases[0], KEYWORDS)) as ConnectionStringError;
    expect(error.message).toContain('the pair starting at index 22');
    expect(error.message).toContain("It starts with the keyword 'Password'");
    expect(error.position).toBe(22);
    expect(error.keyword).toBeUndefined();
  });

  it('says when an unknown key ends with a known keyword after a ;', () => {
    const error = thrown(() => new DbConnectionStringBuilder('Password=a b;c;Database=x', KEYWORDS));
    expect((error as Error).message).toContain("It ends with ';' and the keyword 'Database'");
  });

  it('does not quote an unknown key given to get, set or the typed getters', () => {
    const builder = new DbConnectionStringBuilder(undefined, KEYWORDS);
    for (const action of [
      () => builder.get(SECRET),
      () => builder.set(SECRET, 1),
      () => builder.getInteger(SECRET),
      () => builder.getEnum(SECRET),
    ]) {
      expectNoSecret(action, SECRET);
    }
    const generic = new DbConnectionStringBuilder(`${SECRET}=x`);
    expectNoSecret(() => generic.getInteger(SECRET), SECRET);
    expectNoSecret(() => generic.getEnum(SECRET), SECRET);
    expectNoSecret(() => generic.set(SECRET, {} as unknown as string), SECRET);
    expectNoSecret(() => generic.set(SECRET, 'a\0b'), SECRET);
  });

  // Pieces a connection string is made of, and ways a secret ends up malformed among them.
  const FRAGMENTS = [
    'Password',
    'PWD',
    'Server',
    'Port',
    'Database',
    'SSL Mode',
    'horse',
    '=',
    '==',
    ';',
    ':',
    "'",
    '"',
    ' ',
    '\0',
    '\x01',
    'postgres://',
    '@',
    '?',
    '&',
    '%',
  ];
  const secretArb = fc.stringMatching(/^[A-Za-z0-9&#!%@:;='" ]{4,16}$/).map((tail) => `Zq${tail}`);
  const textArb = fc
    .tuple(
      fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })), { maxLength: 12 }),
      fc.nat(),
      secretArb,
    )
    .map(([pieces, at, secret]) => {
      const index = pieces.length === 0 ? 0 : at % (pieces.length + 1);
      return { text: [...pieces.slice(0, index), secret, ...pieces.slice(index)].join(''), secret };
    });

  for (const [name, build] of BUILDERS) {
    it(`${name}: no error of a fuzzed string contains the secret embedded in it`, () => {
      fc.assert(
        fc.property(textArb, ({ text, secret }) => expectNoSecret(() => build(text), secret)),
        { numRuns: 1500 },
      );
    });
  }
});
