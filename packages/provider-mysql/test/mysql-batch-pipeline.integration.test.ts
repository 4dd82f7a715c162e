import {
  ConnectionState,
  DbError,
  DbErrorCategory,
  DbTimeoutError,
  type InfoMessage,
  InvalidOperationError,
  NotSupportedError,
  OperationCanceledError,
  ParameterDirection,
  type DbBatch,
} from '@asyncdb/core';
import { afterAll, beforeAll, beforeEach, expect, it, vi } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import { nonQuery, openConnection, scalar, sessionActivity, useWatcher } from './mysql-test-server.js';

// Issue 16: a DbBatch is one pipeline (all packets in one write, replies read in order). These are the cases that
// could desynchronise it: a failure or a result set in the middle, odd values, size, cancel, a killed session.

const watcher = useWatcher();
const table = `pipe_${process.pid}`;
let connection: MysqlConnection;

beforeAll(async () => {
  connection = await openConnection('Application Name=batch-pipeline');
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await nonQuery(connection, `CREATE TABLE ${table} (id INT PRIMARY KEY, note VARCHAR(100), data LONGBLOB)`);
});

afterAll(async () => {
  await nonQuery(connection, `DROP TABLE IF EXISTS ${table}`);
  await connection.close();
  await MysqlProviderFactory.instance.clearAllPools();
});

beforeEach(async () => {
  await nonQuery(connection, `DELETE FROM ${table}`);
});

/** Adds `INSERT (id, note)` with both as parameters. */
function addInsert(batch: DbBatch, id: number, note = `n${id}`): void {
  const command = batch.batchCommands.add(`INSERT INTO ${table} (id, note) VALUES (@id, @note)`);
  command.parameters.addWithValue('@id', id);
  command.parameters.addWithValue('@note', note);
}

async function ids(on: MysqlConnection = connection): Promise<number[]> {
  const reader = await on.createCommand(`SELECT id FROM ${table} ORDER BY id`).executeReader();
  const found: number[] = [];
  while (await reader.read()) found.push(reader.getInt32(0));
  await reader.close();
  return found;
}

/** A text no session has prepared yet (a cold PREPARE goes out before its EXECUTE(-1)). */
function fresh(sql: string): string {
  return `${sql} /* ${Math.random().toString(36).slice(2)} */`;
}

it('a syntax error in the middle: reported with its command, the commands after it still ran, the session in step', async () => {
  for (const cold of [true, false]) {
    await nonQuery(connection, `DELETE FROM ${table}`);
    const bad = cold ? fresh('INSERT INTO nowhere_at_all (id) VALUES (@id)') : 'SELEC @id';
    const batch = connection.createBatch();
    addInsert(batch, 1);
    batch.batchCommands.add(bad).parameters.addWithValue('@id', 2);
    addInsert(batch, 3);
    const failure = await batch.executeNonQuery().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DbError);
    expect((failure as DbError).batchCommand).toBe(batch.batchCommands.get(1));
    // The server ran the third command all the same (batchContinuesAfterError); its count is not reported.
    expect(await ids()).toEqual([1, 3]);
    expect(batch.batchCommands.get(0).recordsAffected).toBe(1);
    expect(batch.batchCommands.get(2).recordsAffected).toBe(-1);
    expect(await scalar(connection, 'SELECT @x + 1', { x: 41 })).toBe(42n);
  }
});

it('a failed PREPARE does not make EXECUTE(-1) run the statement prepared before it again', async () => {
  const batch = connection.createBatch();
  batch.batchCommands.add(fresh(`INSERT INTO ${table} (id) VALUES (@id)`)).parameters.addWithValue('@id', 1);
  batch.batchCommands.add(fresh('INSERT INTO nowhere_at_all (id) VALUES (@id)')).parameters.addWithValue('@id', 2);
  batch.batchCommands.add(fresh(`SELECT COUNT(*) FROM ${table} WHERE id >= @id`)).parameters.addWithValue('@id', 0);
  const failure = await batch.executeNonQuery().catch((error: unknown) => error);
  expect((failure as DbError).batchCommand).toBe(batch.batchCommands.get(1));
  // One row: the INSERT before the failed PREPARE ran once, not twice.
  expect(await ids()).toEqual([1]);
  expect(await scalar(connection, 'SELECT 7')).toBe(7);
});

it('LOAD DATA LOCAL INFILE in the middle fails alone: the server never reads the next pipelined packets as file data', async () => {
  const batch = connection.createBatch();
  addInsert(batch, 1);
  batch.batchCommands.add(`LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE ${table} (note)`);
  addInsert(batch, 2, "the next command's bytes");
  const failure = await batch.executeNonQuery().catch((error: unknown) => error);
  // LOCAL_FILES is off on every connection (mysql-driver-options.ts), so the server refuses before asking for a file.
  expect((failure as DbError).batchCommand).toBe(batch.batchCommands.get(1));
  expect(await ids()).toEqual([1, 2]);
  expect(await scalar(connection, `SELECT note FROM ${table} WHERE id = 2`)).toBe("the next command's bytes");
});

it('a constraint violation in the middle fails that command only; inside a transaction the rest runs in it and rolls back with it', async () => {
  const duplicate = connection.createBatch();
  addInsert(duplicate, 1);
  addInsert(duplicate, 1);
  addInsert(duplicate, 2);
  const failure = await duplicate.executeNonQuery().catch((error: unknown) => error);
  expect((failure as DbError).category).toBe(DbErrorCategory.UniqueViolation);
  expect((failure as DbError).batchCommand).toBe(duplicate.batchCommands.get(1));
  expect(await ids()).toEqual([1, 2]);

  await nonQuery(connection, `DELETE FROM ${table}`);
  const transaction = await connection.beginTransaction();
  const inside = connection.createBatch();
  inside.transaction = transaction;
  addInsert(inside, 5);
  addInsert(inside, 5);
  addInsert(inside, 6);
  await expect(inside.executeNonQuery()).rejects.toBeInstanceOf(DbError);
  // MySQL undoes the failing statement only: the transaction goes on and holds the commands before and after it.
  const during = connection.createCommand(`SELECT COUNT(*) FROM ${table}`);
  during.transaction = transaction;
  expect(await during.executeScalar()).toBe(2n);
  await transaction.rollback();
  expect(await ids()).toEqual([]);
});

it('a result set in the middle is read in its place, with counts before and after it', async () => {
  const batch = connection.createBatch();
  addInsert(batch, 1);
  batch.batchCommands
    .add(`SELECT id, note FROM ${table} WHERE id >= @min ORDER BY id`)
    .parameters.addWithValue('@min', 0);
  addInsert(batch, 2);
  batch.batchCommands.add(`SELECT COUNT(*) FROM ${table}`);
  const sets: unknown[][][] = [];
  {
    await using reader = await batch.executeReader();
    do {
      const rows: unknown[][] = [];
      while (await reader.read()) rows.push(reader.getValues());
      if (reader.fieldCount > 0) sets.push(rows);
    } while (await reader.nextResult());
  }
  expect(sets).toEqual([[[1, 'n1']], [[2n]]]);
  expect(batch.batchCommands.toArray().map((command) => command.recordsAffected)).toEqual([1, -1, 1, -1]);
});

it('NULL, a 4 MB string, binary bytes and a __proto__ parameter round-trip through one pipelined batch', async () => {
  const big = 'é'.repeat(2 * 1024 * 1024);
  const bytes = Uint8Array.from({ length: 256 }, (_, index) => index);
  const batch = connection.createBatch();
  batch.batchCommands.add('SELECT @v IS NULL').parameters.addWithValue('@v', null);
  batch.batchCommands.add("SELECT CHAR_LENGTH(@v), @v = REPEAT('é', 2097152)").parameters.addWithValue('@v', big);
  batch.batchCommands.add('SELECT @v').parameters.addWithValue('@v', bytes);
  batch.batchCommands.add('SELECT @__proto__ + 1').parameters.addWithValue('@__proto__', 41);
  const rows: unknown[][] = [];
  {
    await using reader = await batch.executeReader();
    do {
      while (await reader.read()) rows.push(reader.getValues());
    } while (await reader.nextResult());
  }
  expect(rows[0]).toEqual([1]);
  expect(rows[1]).toEqual([2097152, 1]);
  expect(Buffer.from(rows[2]![0] as Uint8Array)).toEqual(Buffer.from(bytes));
  expect(rows[3]).toEqual([42n]);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
});

it('1000 commands, each with its own result, come back in order with their own counts', async () => {
  const batch = connection.createBatch();
  for (let index = 0; index < 1000; index += 1) {
    if (index % 2 === 0) addInsert(batch, index);
    else batch.batchCommands.add('SELECT @i * 2').parameters.addWithValue('@i', index);
  }
  const doubled: unknown[] = [];
  {
    await using reader = await batch.executeReader();
    do {
      while (await reader.read()) doubled.push(reader.getValue(0));
    } while (await reader.nextResult());
  }
  expect(doubled).toEqual(Array.from({ length: 500 }, (_, index) => BigInt((2 * index + 1) * 2)));
  expect(batch.batchCommands.get(998).recordsAffected).toBe(1);
  expect((await ids()).length).toBe(500);
});

it('a batch larger than max_allowed_packet in total goes out in several writes: each command is its own packet', async () => {
  const chunk = 'z'.repeat(3 * 1024 * 1024);
  const batch = connection.createBatch();
  // 8 × 3 MB = 24 MB, above the server's 16 MB max_allowed_packet, which bounds one packet, not a batch.
  for (let index = 0; index < 8; index += 1) {
    const command = batch.batchCommands.add(`INSERT INTO ${table} (id, data) VALUES (@id, @data)`);
    command.parameters.addWithValue('@id', index);
    command.parameters.addWithValue('@data', chunk);
  }
  expect(await batch.executeNonQuery()).toBe(8);
  expect(await scalar(connection, `SELECT SUM(LENGTH(data)) FROM ${table}`)).toBe(String(8 * chunk.length));
});

it('a batch cancelled while its new texts are prepared first (A B A) is not sent; the connection stays in step', async () => {
  const batch = connection.createBatch();
  for (const id of [1, 2, 3]) {
    const text = fresh(`INSERT INTO ${table} (id, note) VALUES (@id, 'x')`);
    const repeated = id === 3 ? batch.batchCommands.get(0).commandText : text;
    batch.batchCommands.add(repeated).parameters.addWithValue('@id', id);
  }
  const running = batch.executeNonQuery().then(
    () => 'completed',
    (error: unknown) => error,
  );
  await new Promise((resolve) => setImmediate(resolve));
  batch.cancel();
  const outcome = await running;
  expect(outcome).toBeInstanceOf(OperationCanceledError);
  expect(await ids()).toEqual([]);
  expect(await scalar(connection, 'SELECT @x + 1', { x: 1 })).toBe(2n);
});

it('warnings: only the last statement’s are reported (the server keeps none of the earlier ones once the next ran)', async () => {
  const messages: InfoMessage[] = [];
  const listener = (message: InfoMessage): void => {
    messages.push(message);
  };
  const batch = connection.createBatch();
  batch.batchCommands.add("SELECT CAST('a' AS SIGNED)");
  batch.batchCommands.add("SELECT CAST('b' AS SIGNED)");
  connection.on('infoMessage', listener);
  try {
    await batch.executeNonQuery();
  } finally {
    connection.off('infoMessage', listener);
  }
  expect(messages.map((message) => message.message)).toEqual(["Truncated incorrect INTEGER value: 'b'"]);
});

it('an empty batch is refused with InvalidOperationError; output parameters with NotSupportedError, before sending', async () => {
  await expect(connection.createBatch().executeNonQuery()).rejects.toBeInstanceOf(InvalidOperationError);
  const batch = connection.createBatch();
  addInsert(batch, 1);
  const output = batch.batchCommands.add('SELECT 1').parameters.add(batch.batchCommands.get(0).createParameter());
  output.parameterName = '@out';
  output.direction = ParameterDirection.Output;
  await expect(batch.executeNonQuery()).rejects.toBeInstanceOf(NotSupportedError);
  expect(await ids()).toEqual([]);
});

it('a batch closed early still runs its remaining commands and leaves the session in step', async () => {
  const batch = connection.createBatch();
  batch.batchCommands.add(`SELECT seq FROM seq_1_to_5000`);
  addInsert(batch, 1);
  batch.batchCommands.add(`SELECT seq FROM seq_1_to_5000`);
  addInsert(batch, 2);
  const reader = await batch.executeReader();
  expect(await reader.read()).toBe(true);
  await reader.close();
  expect(await ids()).toEqual([1, 2]);
  expect(batch.batchCommands.get(3).recordsAffected).toBe(1);
  expect(await scalar(connection, 'SELECT 5')).toBe(5);
});

it('cancel() mid-batch stops the running and the remaining commands; the same connection answers the next command right', async () => {
  const batch = connection.createBatch();
  addInsert(batch, 1);
  batch.batchCommands.add('SELECT SLEEP(@s)').parameters.addWithValue('@s', 20);
  addInsert(batch, 2);
  batch.batchCommands.add('SELECT SLEEP(20)');
  addInsert(batch, 3);
  const id = Number(connection.sessionId);
  const started = Date.now();
  const outcome = batch.executeNonQuery().then(
    () => undefined,
    (error: unknown) => error,
  );
  await vi.waitFor(async () => expect((await sessionActivity(watcher(), id))?.info).toContain('SLEEP'));
  batch.cancel();
  expect(await outcome).toBeInstanceOf(OperationCanceledError);
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(connection.state).toBe(ConnectionState.Open);
  expect(await scalar(connection, 'SELECT @x * 3', { x: 14 })).toBe(42n);
  // The kills interrupt each statement as it runs: the INSERTs between the sleeps are quick and may have run.
  expect((await ids())[0]).toBe(1);
});

it('a batch timeout stops it the same way and the connection stays usable', async () => {
  const batch = connection.createBatch();
  batch.timeout = 1;
  batch.batchCommands.add('SELECT SLEEP(20)');
  batch.batchCommands.add('SELECT SLEEP(20)');
  addInsert(batch, 9);
  const started = Date.now();
  await expect(batch.executeNonQuery()).rejects.toBeInstanceOf(DbTimeoutError);
  expect(Date.now() - started).toBeLessThan(8_000);
  expect(await scalar(connection, 'SELECT 6 * 7')).toBe(42);
});

it('a session killed mid-batch fails the batch with connection_failure; the connection is Broken and its session not pooled again', async () => {
  const victim = await openConnection('Max Pool Size=1;Application Name=batch-killed');
  const id = Number(victim.sessionId);
  const batch = victim.createBatch();
  batch.batchCommands.add('SELECT 1');
  batch.batchCommands.add('SELECT SLEEP(30)');
  batch.batchCommands.add('SELECT 3');
  const outcome = batch.executeNonQuery().then(
    () => undefined,
    (error: unknown) => ({ error, state: victim.state }),
  );
  await vi.waitFor(async () => expect((await sessionActivity(watcher(), id))?.info).toContain('SLEEP'));
  await watcher().query(`KILL ${id}`);
  const { error, state } = (await outcome)!;
  expect(state).toBe(ConnectionState.Broken);
  expect((error as DbError).category).toBe(DbErrorCategory.ConnectionFailure);
  await victim.close();
  const next = await openConnection('Max Pool Size=1;Application Name=batch-killed');
  expect(Number(next.sessionId)).not.toBe(id);
  expect(await scalar(next, 'SELECT 1')).toBe(1);
  await next.close();
});

it('restores the database a USE after a failing command changed (the server runs the rest of a batch)', async () => {
  const own = await openConnection('Application Name=batch-use-after-failure;Max Pool Size=1');
  const batch = own.createBatch();
  batch.batchCommands.add(`INSERT INTO ${table}_missing (id) VALUES (1)`);
  batch.batchCommands.add('USE mysql');
  await expect(batch.executeNonQuery()).rejects.toBeInstanceOf(DbError);
  await own.close();
  // Max Pool Size=1: the same session comes back, and it must be in the connection string's database again.
  const again = await openConnection('Application Name=batch-use-after-failure;Max Pool Size=1');
  try {
    expect(await scalar(again, 'SELECT DATABASE()')).toBe('test');
  } finally {
    await again.close();
  }
});
