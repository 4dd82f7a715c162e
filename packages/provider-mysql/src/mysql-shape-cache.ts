import { mysqlResultShape, type MysqlResultShape } from './mysql-columns.js';
import type { MysqlField } from './mysql-driver.js';

/** Distinct result shapes remembered; beyond this the oldest is dropped (an application has a bounded set). */
const LIMIT = 256;

const shapes = new Map<string, MysqlResultShape>();

/**
 * The undecoded column definition mysql2 keeps: its names are decoded from the packet on first access (each a string
 * decode), so the key is taken from the packet's bytes instead — schema, table, original table, name and original
 * name with their length prefixes, unambiguous as they are.
 */
interface RawColumnDefinition {
  readonly _buf?: Buffer;
  readonly _catalogStart?: number;
  readonly _orgNameStart?: number;
  readonly _orgNameLength?: number;
  readonly _clientEncoding?: string;
}

/** The names of a field as one string: the packet's bytes when mysql2 kept them, else the decoded names. */
function namesKey(field: MysqlField): string {
  const raw = field as RawColumnDefinition;
  if (
    raw._buf !== undefined &&
    typeof raw._catalogStart === 'number' &&
    typeof raw._orgNameStart === 'number' &&
    typeof raw._orgNameLength === 'number'
  ) {
    // The client encoding decides how a binary-collation column's name bytes decode.
    const bytes = raw._buf.toString('latin1', raw._catalogStart, raw._orgNameStart + raw._orgNameLength);
    return `${raw._clientEncoding ?? ''}\u0000${bytes}`;
  }
  return `${field.name}\u0000${field.schema ?? ''}\u0000${field.orgTable ?? ''}\u0000${field.orgName ?? ''}`;
}

/** Everything of a field that {@link mysqlResultShape} reads, as one string. */
function fieldKey(field: MysqlField): string {
  return `${namesKey(field)}\u0000${field.columnType}\u0000${field.columnLength}\u0000${field.flags}\u0000${field.characterSet}\u0000${field.decimals}\u0000${field.extendedTypeName ?? ''}\u0000${field.extendedFormat ?? ''}`;
}

/**
 * The shape (DbColumns and row converter) of a result set, shared by every result with the same column metadata.
 * mysql2 parses the column definitions of every execution afresh; building ~20 DbColumn properties, the type and
 * the converter per column each time cost more than a lookup keyed by the metadata itself. Keyed by everything the
 * shape is derived from — never by the SQL text, whose result columns can change (ALTER TABLE, a user variable's
 * type) — so a hit is always the shape that would have been built. DbColumns are frozen and the column list is
 * frozen too: sharing them is safe.
 */
export function cachedResultShape(fields: readonly MysqlField[]): MysqlResultShape {
  let key = '';
  for (const field of fields) key += `${fieldKey(field)}\u0001`;
  const known = shapes.get(key);
  if (known !== undefined) return known;
  const built = mysqlResultShape(fields);
  const shape: MysqlResultShape = { columns: Object.freeze([...built.columns]), convert: built.convert };
  if (shapes.size >= LIMIT) shapes.delete(shapes.keys().next().value!);
  shapes.set(key, shape);
  return shape;
}
