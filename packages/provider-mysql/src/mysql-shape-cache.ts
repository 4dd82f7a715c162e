import { mysqlResultShape, type MysqlResultShape } from './mysql-columns.js';
import type { MysqlField } from './mysql-driver.js';

/** Distinct result shapes remembered; beyond this the oldest is dropped (an application has a bounded set). */
const LIMIT = 256;

const shapes = new Map<string, MysqlResultShape>();

/** Everything of a field that {@link mysqlResultShape} reads, as one string. */
function fieldKey(field: MysqlField): string {
  return [
    field.name,
    field.columnType,
    field.columnLength,
    field.flags,
    field.characterSet,
    field.decimals,
    field.schema ?? '',
    field.orgTable ?? '',
    field.orgName ?? '',
    field.extendedTypeName ?? '',
    field.extendedFormat ?? '',
  ].join('\u0000');
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
