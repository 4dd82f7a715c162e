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

// Issue 16 (DbBatch): mysql declares `batchExecution: 'sequential'`. This pins what that costs on the wire, so the
// day a batch becomes one round trip the change shows here: each parameterised command is a COM_STMT_EXECUTE of its
// own (after a COM_STMT_PREPARE the first time its text is seen), one round trip each.
it('a DbBatch of three parameterised commands costs one round trip per command once its statements are prepared', async () => {
  const { connection, counter } = await openCounted();
  expect(MysqlProviderFactory.instance.capabilities.batchExecution ?? 'sequential').toBe('sequential');

  counter.reset();
  expect(await runBatch(connection)).toEqual([1n, 2n, 3n]);
  // First run: the text is prepared once (mysql2 caches it per session), then executed three times.
  expect(counter.commands.get(COM_STMT_PREPARE)).toBe(1);
  expect(counter.commands.get(COM_STMT_EXECUTE)).toBe(3);
  expect(counter.roundTrips).toBe(4);

  counter.reset();
  expect(await runBatch(connection)).toEqual([1n, 2n, 3n]);
  expect(Object.fromEntries(counter.commands)).toEqual({ [COM_STMT_EXECUTE]: 3 });
  expect(counter.roundTrips).toBe(3);
});

it('a DbBatch of three commands without parameters is three COM_QUERY packets, one round trip each', async () => {
  const { connection, counter } = await openCounted();
  const batch = connection.createBatch();
  for (const value of [1, 2, 3]) batch.batchCommands.add(`SELECT ${value}`);
  counter.reset();
  expect(await batch.executeNonQuery()).toBe(-1);
  expect(Object.fromEntries(counter.commands)).toEqual({ [COM_QUERY]: 3 });
  expect(counter.roundTrips).toBe(3);
});
