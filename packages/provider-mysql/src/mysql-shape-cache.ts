import { mysqlResultShape, type MysqlResultShape } from './mysql-columns.js';
import type { MysqlField } from './mysql-driver.js';

/** Distinct result shapes remembered; beyond this the oldest is dropped (an application has a bounded set). */
const LIMIT = 256;

/**
 * Each shape with the snapshot of the fields it was built from: made once per shape, so a map hit (statements that
 * alternate, connections running different queries) becomes the last shape without copying any bytes.
 */
const shapes = new Map<string, ShapeEntry>();

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

/** A column definition whose names mysql2 kept undecoded: the packet's buffer and the names' offsets in it. */
interface RawNames extends RawColumnDefinition {
  readonly _buf: Buffer;
  readonly _catalogStart: number;
  readonly _orgNameStart: number;
  readonly _orgNameLength: number;
}

/** mysql2 kept the field's names undecoded (its internals are checked, not assumed). */
function hasRawNames(raw: RawColumnDefinition): raw is RawNames {
  return (
    raw._buf !== undefined &&
    typeof raw._catalogStart === 'number' &&
    typeof raw._orgNameStart === 'number' &&
    typeof raw._orgNameLength === 'number'
  );
}

/** The names of a field as one string: the packet's bytes when mysql2 kept them, else the decoded names. */
function namesKey(field: MysqlField): string {
  const raw = field as RawColumnDefinition;
  if (hasRawNames(raw)) {
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
  const last = lastShape;
  // The same fields array as last time: a text query that recognised its column definitions (mysql-text-query.ts).
  if (last !== undefined && last.source === fields) return last.shape;
  // A text query's remembered fields (frozen, kept by its connection): known by identity too, whichever connection.
  const remembered = Object.isFrozen(fields);
  if (remembered) {
    const known = byRememberedFields.get(fields);
    if (known !== undefined) {
      known.source = fields;
      lastShape = known;
      return known.shape;
    }
  }
  if (last !== undefined && sameFields(last.fields, fields)) {
    last.source = fields;
    if (remembered) byRememberedFields.set(fields, last);
    return last.shape;
  }
  let key = '';
  for (const field of fields) key += `${fieldKey(field)}\u0001`;
  const known = shapes.get(key);
  if (known !== undefined) {
    known.source = fields;
    lastShape = known;
    if (remembered) byRememberedFields.set(fields, known);
    return known.shape;
  }
  const built = mysqlResultShape(fields);
  const shape: MysqlResultShape = { columns: Object.freeze([...built.columns]), convert: built.convert };
  if (shapes.size >= LIMIT) shapes.delete(shapes.keys().next().value!);
  const entry: ShapeEntry = { fields: fields.map(snapshot), shape, source: fields };
  shapes.set(key, entry);
  lastShape = entry;
  if (remembered) byRememberedFields.set(fields, entry);
  return shape;
}

/**
 * What {@link fieldKey} reads of a field, kept for the last shape returned: a statement run again (the common case
 * in a loop, a pool of workers running the same queries) is recognised by comparing the packet's bytes in place,
 * without building the key string. Equal snapshots mean equal keys, so the hit is the shape the map holds.
 */
interface FieldSnapshot {
  /** A copy of the names' bytes when mysql2 kept them undecoded (see {@link namesKey}); else undefined. */
  readonly bytes: Buffer | undefined;
  /** The client encoding (raw names), or the decoded names' key. */
  readonly names: string;
  readonly columnType: number;
  readonly columnLength: number;
  readonly flags: number;
  readonly characterSet: number;
  readonly decimals: number;
  readonly extendedTypeName: string;
  readonly extendedFormat: string;
}

/** A remembered shape and the fields it was built from (equal snapshots mean equal keys). */
interface ShapeEntry {
  readonly fields: readonly FieldSnapshot[];
  readonly shape: MysqlResultShape;
  /**
   * The fields array this shape was last returned for. mysql2 makes a new array per result, but a text query that
   * recognised its column definitions hands over the same array again (mysql-text-query.ts), which is then known
   * without comparing anything. Arrays are never changed once handed over.
   */
  source: readonly MysqlField[] | undefined;
}

let lastShape: ShapeEntry | undefined;

/**
 * The shapes of the fields arrays text queries remember (frozen; see `mysql-text-query.ts`): one per statement and
 * connection, each handed over again on every run, so ten pooled connections running the same query are all known
 * by identity. Weak: an array goes with the memo that holds it.
 */
const byRememberedFields = new WeakMap<readonly MysqlField[], ShapeEntry>();

function snapshot(field: MysqlField): FieldSnapshot {
  const raw = field as RawColumnDefinition;
  const rawNames = hasRawNames(raw);
  return {
    bytes: rawNames
      ? Buffer.from(raw._buf.subarray(raw._catalogStart, raw._orgNameStart + raw._orgNameLength))
      : undefined,
    names: rawNames ? (raw._clientEncoding ?? '') : namesKey(field),
    columnType: field.columnType,
    columnLength: field.columnLength,
    flags: field.flags,
    characterSet: field.characterSet,
    decimals: field.decimals,
    extendedTypeName: field.extendedTypeName ?? '',
    extendedFormat: field.extendedFormat ?? '',
  };
}

/** True when every field has what its snapshot recorded (the names compared as bytes, in the packet's buffer). */
function sameFields(snapshots: readonly FieldSnapshot[], fields: readonly MysqlField[]): boolean {
  if (snapshots.length !== fields.length) return false;
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    const known = snapshots[index]!;
    if (
      field.columnType !== known.columnType ||
      field.columnLength !== known.columnLength ||
      field.flags !== known.flags ||
      field.characterSet !== known.characterSet ||
      field.decimals !== known.decimals ||
      (field.extendedTypeName ?? '') !== known.extendedTypeName ||
      (field.extendedFormat ?? '') !== known.extendedFormat
    )
      return false;
    const raw = field as RawColumnDefinition;
    const bytes = known.bytes;
    if (bytes === undefined) {
      if (hasRawNames(raw) || namesKey(field) !== known.names) return false;
      continue;
    }
    if (!hasRawNames(raw) || (raw._clientEncoding ?? '') !== known.names) return false;
    const end = raw._orgNameStart + raw._orgNameLength;
    if (end - raw._catalogStart !== bytes.length) return false;
    if (raw._buf.compare(bytes, 0, bytes.length, raw._catalogStart, end) !== 0) return false;
  }
  return true;
}
