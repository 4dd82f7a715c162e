import { closingParen, splitTopLevel } from '../tsql/token-utils.js';
import { isSymbol, isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import type { SelectParts } from './select.js';
import { translateRest } from './select.js';
import { quoteIdent } from './sql-text.js';
import type { Translator } from './translator.js';

/** The column name SQL Server gives a top-level FOR XML result (tedious/mssql recognise it). */
export const FOR_XML_COLUMN = 'XML_F52E2B61-18A1-11d1-B105-00805F49916B';

interface ForXmlOptions {
  readonly row: string;
  readonly root?: string;
  readonly type: boolean;
}

/** Reads `PATH[('row')] [, ROOT[('root')]] [, TYPE] [, ELEMENTS]` (the tokens after `FOR XML`). */
function readOptions(tokens: readonly Token[], line: number): ForXmlOptions {
  let row: string | undefined;
  let root: string | undefined;
  let type = false;
  for (const part of splitTopLevel(tokens)) {
    const [word, open] = part;
    const argument = (): string | undefined => {
      if (!isSymbol(open, '(')) return undefined;
      const value = part[2];
      if (value === undefined || (value.kind !== 'string' && value.kind !== 'nstring') || closingParen(part, 1) !== 3) {
        throw new TsqlError(102, `Incorrect syntax near '${word?.value ?? ''}'.`, line);
      }
      return value.value;
    };
    if (isWord(word, 'PATH')) row = argument() ?? 'row';
    else if (isWord(word, 'ROOT')) root = argument() ?? 'root';
    else if (isWord(word, 'TYPE')) type = true;
    else if (isWord(word, 'ELEMENTS')) continue;
    else throw new TsqlError(50000, `FOR XML ${word?.value.toUpperCase() ?? ''} is not supported by the TDS test server (FOR XML PATH only).`, line);
  }
  if (row === undefined) throw new TsqlError(50000, 'FOR XML without PATH is not supported by the TDS test server.', line);
  return root === undefined ? { row, type } : { row, root, type };
}

/**
 * `SELECT … FOR XML PATH('row'), ROOT('rows')` becomes one xml value built with PostgreSQL's xml functions
 * over the original query as a derived table: each row an element, named columns child elements
 * (`xmlforest` leaves NULLs out, as PATH mode does), `@name` columns attributes, unnamed columns text.
 * Without TYPE the value is returned as text under SQL Server's XML column name.
 */
export function translateForXml(t: Translator, parts: SelectParts, forClause: readonly Token[], topLevel: boolean): string {
  const line = parts.head[0]?.line ?? 1;
  const options = readOptions(forClause, line);
  const columns = parts.items.map((item, index) => {
    if (isSymbol(item.expression[item.expression.length - 1], '*')) {
      throw new TsqlError(50000, 'SELECT * … FOR XML is not supported by the TDS test server.', line);
    }
    const name = item.alias ?? item.columnName;
    if (name?.includes('/') === true) throw new TsqlError(50000, `FOR XML PATH column '${name}' (nested path) is not supported by the TDS test server.`, line);
    return { expression: item.expression, name, ref: `"_x".${quoteIdent(`c${index + 1}`)}` };
  });

  const aliases = new Map<string, string>();
  columns.forEach((c, index) => {
    if (c.name !== undefined) aliases.set(c.name.toLowerCase(), quoteIdent(`c${index + 1}`));
  });
  const innerItems = columns.map((c, index) => `${t.expr(c.expression).trim()} AS ${quoteIdent(`c${index + 1}`)}`);
  let inner = `${t.expr(parts.head).trim()} ${innerItems.join(', ')}${translateRest(t, parts.rest, aliases)}`;
  if (parts.top !== undefined) inner += ` LIMIT (${t.expr(parts.top.count).trim()})`;

  const attributes = columns
    .filter((c) => c.name?.startsWith('@') === true)
    .map((c) => `${c.ref} AS ${quoteIdent((c.name as string).slice(1))}`);
  const content = columns
    .filter((c) => c.name?.startsWith('@') !== true)
    .map((c) =>
      c.name === undefined || c.name === ''
        ? `(xpath('/x/text()', xmlelement(name x, ${c.ref})))[1]`
        : `xmlforest(${c.ref} AS ${quoteIdent(c.name)})`,
    );
  const body = content.length === 0 ? 'NULL' : `xmlconcat(${content.join(', ')})`;
  let row: string;
  if (options.row === '') {
    if (attributes.length > 0) throw new TsqlError(6864, 'Row tag omission (empty row tag name) cannot be used with attribute-centric FOR XML serialization.', line);
    row = body;
  } else {
    const attrs = attributes.length > 0 ? `xmlattributes(${attributes.join(', ')}), ` : '';
    row = `xmlelement(name ${quoteIdent(options.row)}, ${attrs}${body})`;
  }
  let value = `xmlagg(${row})`;
  if (options.root !== undefined) value = `xmlelement(name ${quoteIdent(options.root)}, ${value})`;
  if (!options.type) value = `CAST(${value} AS text)`;
  const alias = topLevel ? ` AS ${quoteIdent(FOR_XML_COLUMN)}` : '';
  return `SELECT ${value}${alias} FROM (${inner}) AS "_x"`;
}
