import type { DbCommand, DbProviderFactory } from '@asyncdb/core';
import type { Dataset } from './dataset.js';
import { generateDataset } from './generate-dataset.js';
import { createIndexSql, createTableSql, TABLES, type TableSpec } from './schema.js';
import { dialectFor } from '../dialects.js';
import { startStopwatch } from '../timing.js';

/**
 * Bound values per INSERT. SQL Server accepts at most 2,100 parameters and 1,000 rows per `VALUES` list; staying
 * under both keeps one batch size valid on every engine.
 */
const MAX_PARAMETERS_PER_INSERT = 900;

/** What {@link loadDataset} loaded. */
export interface DatasetSummary {
  /** Rows per table, in load order. */
  readonly rows: ReadonlyArray<readonly [table: string, count: number]>;
  readonly totalRows: number;
  readonly elapsedMs: number;
}

/**
 * Drops and recreates the demo's `demo_*` tables and fills them with the generated dataset: DDL first, then
 * batched, parameterised multi-row INSERTs in one transaction (values are always bound, never spliced into SQL).
 * Uses the Promise surface: loading is setup, not one of the asynchronous scenarios.
 */
export async function loadDataset(
  factory: DbProviderFactory,
  connectionString: string,
  dataset: Dataset = generateDataset(),
): Promise<DatasetSummary> {
  const elapsed = startStopwatch();
  const dialect = dialectFor(factory);
  await using connection = factory.createConnection(connectionString);
  await connection.open();
  const ddl = connection.createCommand();
  for (const spec of [...TABLES].reverse()) {
    ddl.commandText = dialect.dropTableIfExists(spec.name);
    await ddl.executeNonQuery();
  }
  for (const spec of TABLES) {
    for (const sql of [createTableSql(spec, dialect), ...createIndexSql(spec)]) {
      ddl.commandText = sql;
      await ddl.executeNonQuery();
    }
  }
  const rows: Array<[string, number]> = [];
  const transaction = await connection.beginTransaction();
  try {
    const insert = transaction.createCommand();
    for (const spec of TABLES) rows.push([spec.name, await insertRows(insert, spec, spec.rowValues(dataset))]);
    await transaction.commit();
  } finally {
    if (!transaction.isCompleted) await transaction.rollback();
  }
  return { rows, totalRows: rows.reduce((sum, [, count]) => sum + count, 0), elapsedMs: elapsed() };
}

async function insertRows(command: DbCommand, spec: TableSpec, values: unknown[][]): Promise<number> {
  const perBatch = Math.floor(MAX_PARAMETERS_PER_INSERT / spec.columns.length);
  let inserted = 0;
  for (let start = 0; start < values.length; start += perBatch) {
    const batch = values.slice(start, start + perBatch);
    command.parameters.clear();
    const tuples = batch.map((row, rowIndex) => {
      const markers = spec.columns.map((column, columnIndex) => {
        const name = `@r${rowIndex}c${columnIndex}`;
        // The DbType is set, not inferred: '18.50' is a decimal and '2024-05-01' a date, not text.
        command.parameters.addWithValue(name, row[columnIndex]).dbType = column.dbType;
        return name;
      });
      return `(${markers.join(', ')})`;
    });
    command.commandText = `INSERT INTO ${spec.name} (${spec.columns.map((c) => c.name).join(', ')}) VALUES ${tuples.join(', ')}`;
    inserted += await command.executeNonQuery();
  }
  return inserted;
}
