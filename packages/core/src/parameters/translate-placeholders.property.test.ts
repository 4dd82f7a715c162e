import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, InvalidOperationError } from '../errors/errors.js';
import { PlaceholderStyle } from './placeholder-style.js';
import { SqlDialect } from './sql-dialect.js';
import { scanSql } from './sql-scanner.js';
import { translatePlaceholders, type TranslatedStatement } from './translate-placeholders.js';

// Random SQL-ish text is built from pieces whose meaning is known by construction, so the expected scan and
// translation can be computed from the pieces without lexing: a model to compare the lexer against.

/** A piece of generated SQL: `code` (literals included), `comment`, `space`, `end` (a `;`) or `marker` (`@name`). */
interface Piece {
  readonly kind: 'code' | 'comment' | 'space' | 'end' | 'marker';
  readonly text: string;
  readonly name?: string;
}

const KNOWN = new Set(['a', 'id', 'p1', 'x$y', 'naïve', 't#1']);
const resolve = (name: string) => (KNOWN.has(name) ? name : undefined);

// What goes inside literals and comments: everything that could be mistaken for a marker, a `;` or a delimiter.
const content = fc
  .array(
    fc.constantFrom(
      ...['a', 'Z', '0', ' ', '@', '@x', '@a', '@@y', 'bob@example.com', ';', "'", '"', '`', '\\', '$', '$$', '$1'],
      ...['-', '--', '/', '*', '#', '[', ']', '\n', 'é', '\u00a0', '::', 'E', '/*', '*/'],
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));
const without = (chars: RegExp) => content.map((text) => text.replace(chars, ' '));

const piece =
  (kind: Piece['kind']) =>
  (text: string): Piece => ({ kind, text });
const code = (...texts: string[]) => fc.constantFrom(...texts).map(piece('code'));
const doubled = (open: string, close: string, prefix = '') =>
  content.map((c) => piece('code')(prefix + open + c.replaceAll(close, close + close) + close));
const escaped = (quote: string, prefix = '') =>
  fc
    .tuple(content, fc.boolean())
    .map(([c, doubling]) =>
      piece('code')(
        prefix + quote + c.replaceAll('\\', '\\\\').replaceAll(quote, doubling ? quote + quote : '\\' + quote) + quote,
      ),
    );
const lineComment = (opener: string) => without(/[\r\n]/g).map((c) => piece('comment')(`${opener}${c}\n`));
const blockComment = (opener: string, nested: boolean) =>
  fc
    .tuple(without(/\//g), without(/\//g), without(/\//g))
    .map(([a, b, c]) => piece('comment')(nested ? `${opener} ${a} /* ${b} */ ${c} */` : `${opener} ${a} */`));
// A MySQL executable comment is code (the server runs its body); the body here holds nothing the scanner reacts to,
// the unit tests cover markers, literals and comments inside one.
const executableComment = fc
  .tuple(fc.constantFrom('/*!', '/*!50100', '/*M!', '/*M!100100'), without(/[@;'"`\\#*/-]/g))
  .map(([opener, body]) => piece('code')(`${opener} x${body} */`));
const dollarQuote = fc
  .tuple(fc.constantFrom('', 'a', 'tag', '_x1', 'é'), without(/\$/g), without(/\$/g))
  .map(([tag, a, b]) => {
    const delimiter = `$${tag}$`;
    // A tagged quote holds a `$$…$$` too, padded with spaces so that none of its `$` can form the outer delimiter
    // (`$a$` + `$$` reads as `$a$` + `$`, and `$$a$$` contains `$a$`).
    const inner = tag === '' ? '' : ` $$ ${b} $$ `;
    return piece('code')(delimiter + a + inner + delimiter);
  });

const COMMON_CODE = ['SELECT', 'x', 't.col', 'a$b', 'user@host', '_1', 'é', '1', '2.5', '=', '+', '(', ')', ','];
const MORE_CODE = ['::int', '<>', '*', '@@rowcount', '@ 1', 'x@@y'];
const NAMES = ['a', 'b', 'id', 'Id', '_p', 'p1', 'x$y', 'naïve'];

const LEXEMES: Readonly<Record<SqlDialect, fc.Arbitrary<Piece>>> = {
  [SqlDialect.PostgreSQL]: fc.oneof(
    code(...COMMON_CODE, ...MORE_CODE, '$1', '@>', 'tsv @@ q', '$', 'x$1'),
    doubled("'", "'"),
    escaped("'", 'E'),
    escaped("'", 'e'),
    doubled('"', '"'),
    dollarQuote,
    lineComment('--'),
    blockComment('/*', true),
  ),
  [SqlDialect.MySQL]: fc.oneof(
    code(...COMMON_CODE, ...MORE_CODE, "@'q'", '@`q`', '@"q"', '@@session.sql_mode', "'bob'@'host'", '5--1', '$$'),
    escaped("'"),
    escaped("'", '_utf8mb4'),
    escaped('"'),
    doubled('`', '`'),
    lineComment('-- '),
    lineComment('--\t'),
    lineComment('#'),
    blockComment('/*', false),
    executableComment,
  ),
  [SqlDialect.TransactSql]: fc.oneof(
    code(...COMMON_CODE, ...MORE_CODE, '@@IDENTITY', '#tmp', '$$', '`x`'),
    doubled("'", "'"),
    doubled("'", "'", 'N'),
    doubled('"', '"'),
    doubled('[', ']'),
    lineComment('--'),
    blockComment('/*', true),
  ),
  // No CREATE … TRIGGER here: its trigger bodies are the unit tests' (sql-scanner.test.ts).
  [SqlDialect.SQLite]: fc.oneof(
    code(...COMMON_CODE, ...MORE_CODE, '$$', '#', 'END', 'create'),
    doubled("'", "'"),
    doubled('"', '"'),
    doubled('`', '`'),
    doubled('[', ']'),
    lineComment('--'),
    blockComment('/*', false),
  ),
  [SqlDialect.Generic]: fc.oneof(
    code(...COMMON_CODE, ...MORE_CODE, '$$', '#', '[x]', '`x`'),
    doubled("'", "'"),
    doubled('"', '"'),
    lineComment('--'),
    blockComment('/*', false),
  ),
};

const marker = (dialect: SqlDialect) =>
  fc
    .constantFrom(...NAMES, ...(dialect === SqlDialect.TransactSql ? ['t#1'] : []))
    .map((name): Piece => ({ kind: 'marker', text: `@${name}`, name }));
// PostgreSQL reads every non-ASCII character as a letter, so `$` + U+00A0 + `$` opens a dollar quote there: no
// non-ASCII white space between its pieces.
const space = (dialect: SqlDialect) =>
  fc
    .constantFrom(' ', '\n', '\t', '  ', '\r\n', ...(dialect === SqlDialect.PostgreSQL ? [] : ['\u00a0', '\u3000']))
    .map(piece('space'));

// Pieces are always separated by white space, so no piece can glue onto the next (`x` + `@a`, `a` + `'…'`).
const sql = (dialect: SqlDialect) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          { weight: 4, arbitrary: LEXEMES[dialect] },
          { weight: 2, arbitrary: marker(dialect) },
          { weight: 1, arbitrary: fc.constant<Piece>({ kind: 'end', text: ';' }) },
        ),
        space(dialect),
      ),
      { maxLength: 24 },
    )
    .map((pairs) => pairs.flat());

const join = (pieces: readonly Piece[]) => pieces.map((p) => p.text).join('');

/** The statements {@link translatePlaceholders} should return, computed from the pieces. */
function expected(pieces: readonly Piece[], style: PlaceholderStyle, split: boolean): TranslatedStatement[] {
  const groups: Piece[][] = [[]];
  for (const p of pieces) {
    if (split && p.kind === 'end') groups.push([]);
    else groups.at(-1)!.push(p);
  }
  return groups
    .filter((group) => !split || group.some((p) => p.kind === 'code' || p.kind === 'marker'))
    .map((group) => {
      const names: string[] = [];
      const text = group
        .map((p) => {
          const key = p.name === undefined ? undefined : resolve(p.name);
          if (key === undefined) return p.text;
          if (style === PlaceholderStyle.Question || !names.includes(key)) names.push(key);
          if (style === PlaceholderStyle.Question) return '?';
          return style === PlaceholderStyle.NamedAt ? p.text : `$${names.indexOf(key) + 1}`;
        })
        .join('');
      return { text: split ? text.trim() : text, parameterNames: names };
    });
}

describe.each(Object.values(SqlDialect))('generated %s text', (dialect) => {
  it('(c) reports exactly the generated markers, the top-level ; and which statements have code', () => {
    fc.assert(
      fc.property(sql(dialect), (pieces) => {
        const markers: { name: string; start: number; end: number }[] = [];
        const ends: number[] = [];
        const hasCode = [false];
        let at = 0;
        for (const p of pieces) {
          if (p.kind === 'marker') markers.push({ name: p.name!, start: at, end: at + p.text.length });
          if (p.kind === 'end') {
            ends.push(at);
            hasCode.push(false);
          }
          if (p.kind === 'code' || p.kind === 'marker') hasCode[hasCode.length - 1] = true;
          at += p.text.length;
        }
        expect(scanSql(join(pieces), dialect)).toEqual({
          parameters: markers,
          statementEnds: ends,
          statementHasCode: hasCode,
        });
      }),
    );
  });

  it.each([PlaceholderStyle.DollarNumbered, PlaceholderStyle.Question, PlaceholderStyle.NamedAt])(
    '(a) changes nothing but the markers of known parameters (%s)',
    (style) => {
      fc.assert(
        fc.property(sql(dialect), fc.boolean(), (pieces, split) => {
          const options = { style, dialect, resolve, split, unknownParameters: 'keep' } as const;
          expect(translatePlaceholders(join(pieces), options)).toEqual(expected(pieces, style, split));
        }),
      );
    },
  );

  it('(b) is the identity in the named-at style without split', () => {
    fc.assert(
      fc.property(sql(dialect), (pieces) => {
        const text = join(pieces);
        const options = {
          style: PlaceholderStyle.NamedAt,
          dialect,
          resolve,
          split: false,
          unknownParameters: 'keep',
        } as const;
        expect(translatePlaceholders(text, options).map((s) => s.text)).toEqual([text]);
      }),
    );
  });

  it('(b) is the identity in the named-at style without split, for any text it accepts', () => {
    const unit = fc.constantFrom(...'@;\'"`[]$-/*#\\\n aE1é'.split(''), '𝑥', '\u00a0');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const options = {
          style: PlaceholderStyle.NamedAt,
          dialect,
          resolve,
          split: false,
          unknownParameters: 'keep',
        } as const;
        try {
          expect(translatePlaceholders(text, options).map((s) => s.text)).toEqual([text]);
        } catch (error) {
          expect(error).toBeInstanceOf(ArgumentError);
          expect((error as Error).message).toMatch(/^Unterminated .* starting at position \d+\.$/);
        }
      }),
    );
  });

  it("throws for the first unknown marker with 'error', and only then", () => {
    fc.assert(
      fc.property(sql(dialect), (pieces) => {
        const options = {
          style: PlaceholderStyle.Question,
          dialect,
          resolve,
          split: true,
          unknownParameters: 'error',
        } as const;
        const text = join(pieces);
        const unknown = pieces.find((p) => p.name !== undefined && resolve(p.name) === undefined);
        if (unknown === undefined) {
          expect(translatePlaceholders(text, options)).toEqual(expected(pieces, PlaceholderStyle.Question, true));
        } else {
          const position = join(pieces.slice(0, pieces.indexOf(unknown))).length;
          expect(() => translatePlaceholders(text, options)).toThrow(
            new InvalidOperationError(
              `Parameter '${unknown.text}' at position ${position} is not in the command's Parameters collection.`,
            ),
          );
        }
      }),
    );
  });
});
