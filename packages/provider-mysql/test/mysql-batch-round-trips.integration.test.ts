import { afterEach, expect, it } from 'vitest';
import { MysqlProviderFactory, type MysqlConnection } from '../src/index.js';
import {
  COM_QUERY,
  COM_STMT_EXECUTE,
  COM_STMT_PREPARE,
  startRoundTripCounter,
  type RoundTripCounter,
} from './mysql-round-trip-counter.js';
import { connectionString, mysqlUrl } from './mysql-test-server.js';

const opened: Array<{ connection: MysqlConnection; counter: RoundTripCounter }> = [];
afterEach(async () => {
  for (const { connection, counter } of opened.splice(0)) {
    await connection.close();
    await counter.close();
  }
});

/** An unpooled connection whose traffic goes through a round-trip counter. */
async function openCounted(): Promise<{ connection: MysqlConnection; counter: RoundTripCounter }> {
  const url = new URL(mysqlUrl());
  const counter = await startRoundTripCounter({ host: url.hostname, port: Number(url.port || 3306) });
  const connection = MysqlProviderFactory.instance.createConnection(
    connectionString(`Server=127.0.0.1;Port=${counter.port};Pooling=false`),
  );
  opened.push({ connection, counter });
  await connection.open();
  return { connection, counter };
}

/** A batch of three parameterised SELECTs, read to its end. */
async function runBatch(connection: MysqlConnection): Promise<unknown[]> {
  const batch = connection.createBatch();
  for (const value of [1, 2, 3]) batch.batchCommands.add('SELECT @v + 0 AS v').parameters.addWithValue('@v', value);
  const values: unknown[] = [];
  await using reader = await batch.executeReader();
  do {
    while (await reader.read()) values.push(reader.getValue(0));
  } while (await reader.nextResult());
  return values;
}

/** Whether the server is MariaDB (its COM_STMT_EXECUTE takes -1 for "the statement just prepared"). */
async function isMariadb(connection: MysqlConnection): Promise<boolean> {
  return /mariadb/i.test(connection.serverVersion);
}

// Issue 16 (DbBatch): mysql declares `batchExecution: 'single-round-trip'`: every command's packets go in one write
// and the replies are read in order (mysql-batch-pipeline.ts). The relay counts client flights, so a second round
// trip anywhere in a batch shows here.
it('a DbBatch of three parameterised commands is one round trip, its texts prepared or not (MariaDB)', async () => {
  const { connection, counter } = await openCounted();
  expect(MysqlProviderFactory.instance.capabilities.batchExecution).toBe('single-round-trip');

  counter.reset();
  expect(await runBatch(connection)).toEqual([1n, 2n, 3n]);
  if (await isMariadb(connection)) {
    // Cold: PREPARE, then EXECUTE(-1) three times, all in one write.
    expect(Object.fromEntries(counter.commands)).toEqual({ [COM_STMT_PREPARE]: 1, [COM_STMT_EXECUTE]: 3 });
    expect(counter.roundTrips).toBe(1);
  } else {
    // MySQL has no "statement just prepared" id: the new text is prepared first, then the batch is one write.
    expect(counter.roundTrips).toBe(2);
  }

  counter.reset();
  expect(await runBatch(connection)).toEqual([1n, 2n, 3n]);
  // Warm: mysql2 cached the statement the PREPARE made; three EXECUTEs by id.
  expect(Object.fromEntries(counter.commands)).toEqual({ [COM_STMT_EXECUTE]: 3 });
  expect(counter.roundTrips).toBe(1);
});

it('a DbBatch of three commands without parameters is three COM_QUERY packets in one round trip', async () => {
  const { connection, counter } = await openCounted();
  const batch = connection.createBatch();
  for (const value of [1, 2, 3]) batch.batchCommands.add(`SELECT ${value}`);
  counter.reset();
  expect(await batch.executeNonQuery()).toBe(-1);
  expect(Object.fromEntries(counter.commands)).toEqual({ [COM_QUERY]: 3 });
  expect(counter.roundTrips).toBe(1);
});

it('new texts that alternate (A B A B) are prepared first in one write, then executed in one more', async () => {
  const { connection, counter } = await openCounted();
  const batch = connection.createBatch();
  for (const value of [1, 2, 3, 4]) {
    const text = value % 2 === 1 ? 'SELECT @v + 0 AS a' : 'SELECT @v + 0 AS b';
    batch.batchCommands.add(text).parameters.addWithValue('@v', value);
  }
  counter.reset();
  const values: unknown[] = [];
  {
    await using reader = await batch.executeReader();
    do {
      while (await reader.read()) values.push(reader.getValue(0));
    } while (await reader.nextResult());
  }
  expect(values).toEqual([1n, 2n, 3n, 4n]);
  // A's id is unknown when A comes back after B was prepared: both are prepared in one write, then four EXECUTEs.
  expect(Object.fromEntries(counter.commands)).toEqual({ [COM_STMT_PREPARE]: 2, [COM_STMT_EXECUTE]: 4 });
  expect(counter.roundTrips).toBe(2);

  counter.reset();
  expect(await batch.executeNonQuery()).toBe(-1);
  expect(counter.roundTrips).toBe(1);
});

it('a batch of 1000 INSERTs is one round trip (written in bounded chunks, never waiting for a reply)', async () => {
  const { connection, counter } = await openCounted();
  const setup = connection.createCommand();
  setup.commandText = 'CREATE TEMPORARY TABLE rt_many (id INT PRIMARY KEY, payload VARCHAR(2000))';
  await setup.executeNonQuery();
  const batch = connection.createBatch();
  for (let id = 0; id < 1000; id += 1) {
    const insert = batch.batchCommands.add('INSERT INTO rt_many (id, payload) VALUES (@id, @payload)');
    insert.parameters.addWithValue('@id', id);
    insert.parameters.addWithValue('@payload', 'x'.repeat(2000));
  }
  counter.reset();
  expect(await batch.executeNonQuery()).toBe(1000);
  expect(counter.commands.get(COM_STMT_EXECUTE)).toBe(1000);
  // 2 MB of packets: several writes (1 MiB chunks), still a single flight.
  expect(counter.roundTrips).toBe(1);
  expect(batch.batchCommands.get(999).recordsAffected).toBe(1);
});
