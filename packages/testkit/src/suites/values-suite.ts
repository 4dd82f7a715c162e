import { afterAll, describe, expect } from 'vitest';
import {
  ConnectionState,
  fieldTypeOf,
  InvalidCastError,
  type DbConnection,
  type DbDataReader,
  type DbType,
} from '@asyncdb/core';
import type { ConformanceContext } from '../conformance-context.js';
import { VALUE_DB_TYPES, type ValueTypeCase } from '../conformance-fixture.js';
import { ALWAYS, gatedIt, unsupported, type Gate } from '../capability-gate.js';
import { describeValue, valueDifference } from '../helpers/same-value.js';
import { NATURAL_GETTERS } from './value-getters.js';
import { conversionTests } from './value-conversions.js';

/** Reads and writes the value table: one column `v<i>` per value case of the fixture. @internal */
export interface ValueTable {
  /** The case of a DbType, or undefined when the fixture has none. */
  caseOf(dbType: DbType): ValueTypeCase | undefined;
  /** The gate of tests needing these DbTypes: closed, naming the missing ones, unless the fixture has them all. */
  gate(...dbTypes: DbType[]): Gate;
  /** Inserts `literal` into the column of `dbType` and returns a reader positioned on it (column 0). */
  readLiteral(dbType: DbType, literal: string): Promise<DbDataReader>;
  /** Inserts a value through a parameter (`explicit`: with its DbType set) and reads the column back. */
  roundTrip(dbType: DbType, value: unknown, explicit: boolean): Promise<unknown>;
}

/**
 * Group 4 — Values: the docs/values.md table for every type the engine has, in both directions (a literal read out,
 * a parameter stored and read back), the column schema, the typed getters with widening, OverflowError and
 * InvalidCastError (ADO.NET GetValueConversionTestBase), and NULL for every type.
 */
export function valuesSuite(context: ConformanceContext): void {
  const { fixture } = context;
  const cases = fixture.values;
  const columnOf = new Map<DbType, string>(cases.map((valueCase, index) => [valueCase.dbType, `v${index}`]));
  const table = context.table('tk_values', (name) =>
    [
      `id ${fixture.ddl.integer} NOT NULL`,
      ...cases.map((valueCase, index) => `v${index} ${valueCase.columnType} NULL`),
      `CONSTRAINT ${name}_pk PRIMARY KEY (id)`,
    ].join(', '),
  );
  afterAll(() => context.dropTables(table.name));
  let nextId = 0;
  // One connection per test (the context closes it after each test); readers are closed before the next use.
  let shared: DbConnection | undefined;
  async function connection(): Promise<DbConnection> {
    await table.ensure();
    if (shared?.state !== ConnectionState.Open) shared = await context.open();
    return shared;
  }

  function column(dbType: DbType): string {
    const name = columnOf.get(dbType);
    if (name === undefined) throw new Error(`The fixture declares no ${dbType} column type.`);
    return name;
  }

  async function select(connection: DbConnection, dbType: DbType, id: number): Promise<DbDataReader> {
    const reader = await context
      .command(connection, `SELECT ${column(dbType)} FROM ${table.name} WHERE id = @id`, { id })
      .executeReader();
    if (!(await reader.read())) throw new Error(`The row just inserted (id ${id}) was not found.`);
    return reader;
  }

  const values: ValueTable = {
    caseOf: (dbType) => cases.find((valueCase) => valueCase.dbType === dbType),
    gate(...dbTypes) {
      const missing = dbTypes.filter((dbType) => !columnOf.has(dbType));
      return missing.length === 0 ? ALWAYS : unsupported(`the fixture declares no ${missing.join(', ')} column type`);
    },
    async readLiteral(dbType, literal) {
      const open = await connection();
      nextId += 1;
      await context.nonQuery(open, `INSERT INTO ${table.name} (id, ${column(dbType)}) VALUES (@id, ${literal})`, {
        id: nextId,
      });
      return select(open, dbType, nextId);
    },
    async roundTrip(dbType, value, explicit) {
      const open = await connection();
      nextId += 1;
      const insert = context.command(open, `INSERT INTO ${table.name} (id, ${column(dbType)}) VALUES (@id, @v)`, {
        id: nextId,
      });
      const parameter = insert.createParameter();
      parameter.parameterName = '@v';
      parameter.value = value;
      if (explicit) parameter.dbType = dbType;
      insert.parameters.add(parameter);
      expect(await insert.executeNonQuery()).toBe(1);
      const reader = await select(open, dbType, nextId);
      const read = reader.getValue(0);
      await reader.close();
      return read;
    },
  };

  for (const dbType of VALUE_DB_TYPES) {
    describe(dbType, () => typeTests(dbType, values));
  }
  describe('Conversions', () => conversionTests(values));
}

/** The tests of one DbType; every one is reported unsupported when the fixture has no column type for it. */
function typeTests(dbType: DbType, values: ValueTable): void {
  const gate = values.gate(dbType);
  const getter = NATURAL_GETTERS[dbType];
  const samples = () => values.caseOf(dbType)?.samples ?? [];

  gatedIt(gate, 'each sample written as a SQL literal reads as the JS value of docs/values.md', async () => {
    for (const sample of samples()) {
      const reader = await values.readLiteral(dbType, sample.literal);
      const difference = valueDifference(reader.getValue(0), sample.expected);
      await reader.close();
      expect(difference, `${dbType} ${sample.kind} (${sample.literal})`).toBeUndefined();
    }
  });

  gatedIt(
    gate,
    'each sample sent as a parameter (DbType inferred from the value) is stored and reads back the same',
    async () => {
      for (const sample of samples()) {
        const read = await values.roundTrip(dbType, sample.parameter ?? sample.expected, false);
        expect(valueDifference(read, sample.expected), `${dbType} ${sample.kind}`).toBeUndefined();
      }
    },
  );

  gatedIt(
    gate,
    `each sample sent as a parameter with DbType.${dbType} set is stored and reads back the same`,
    async () => {
      for (const sample of samples()) {
        const read = await values.roundTrip(dbType, sample.parameter ?? sample.expected, true);
        expect(valueDifference(read, sample.expected), `${dbType} ${sample.kind}`).toBeUndefined();
      }
    },
  );

  gatedIt(gate, `the column reports DbType.${dbType}, its JS field type and an engine type name`, async () => {
    const first = samples()[0];
    if (!first) throw new Error(`The fixture gives no ${dbType} sample.`);
    const reader = await values.readLiteral(dbType, first.literal);
    const [column] = reader.getColumnSchema();
    expect(column?.dbType).toBe(dbType);
    expect(column?.fieldType).toBe(fieldTypeOf(dbType));
    expect(reader.getFieldType(0)).toBe(fieldTypeOf(dbType));
    expect(reader.getDataTypeName(0)).not.toBe('');
    await reader.close();
  });

  gatedIt(gate, `the typed getter ${getter?.name ?? 'getFieldValue'} reads each sample`, async () => {
    if (!getter) throw new Error(`No natural getter for ${dbType}.`);
    for (const sample of samples()) {
      const reader = await values.readLiteral(dbType, sample.literal);
      let read: unknown;
      try {
        read = getter.read(reader, 0);
      } finally {
        await reader.close();
      }
      const difference = valueDifference(read, getter.expected(sample.expected));
      expect(difference, `${getter.name} of ${dbType} ${sample.kind} returned ${describeValue(read)}`).toBeUndefined();
    }
  });

  gatedIt(gate, 'NULL reads as null, isDBNull is true, and the typed getters throw InvalidCastError', async () => {
    const reader = await values.readLiteral(dbType, 'NULL');
    expect(reader.getValue(0)).toBeNull();
    expect(reader.isDBNull(0)).toBe(true);
    expect(() => reader.getFieldValue(0)).toThrow(InvalidCastError);
    if (getter) expect(() => getter.read(reader, 0)).toThrow(InvalidCastError);
    await reader.close();
  });

  gatedIt(gate, 'a null parameter stores NULL', async () => {
    expect(await values.roundTrip(dbType, null, false)).toBeNull();
    expect(await values.roundTrip(dbType, null, true)).toBeNull();
  });
}
