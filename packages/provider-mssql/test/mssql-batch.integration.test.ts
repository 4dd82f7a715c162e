import { createServer, connect, type Server, type Socket } from 'node:net';
import { NotSupportedError, ParameterDirection } from '@asyncdb/core';
import { afterEach, expect, it } from 'vitest';
import { MssqlConnectionStringBuilder, MssqlProviderFactory, type MssqlConnection } from '../src/index.js';
import { connectionString, openConnection } from './mssql-test-helpers.js';

/** TDS packet types (MS-TDS 2.2.3.1.1) and the end-of-message status bit. */
const RPC_REQUEST = 0x03;
const SQL_BATCH = 0x01;
const END_OF_MESSAGE = 0x01;

/** A TCP relay that counts the TDS messages the client sends, by packet type. */
interface MessageCounter {
  readonly port: number;
  readonly messages: Map<number, number>;
  close(): Promise<void>;
}

async function startMessageCounter(target: { host: string; port: number }): Promise<MessageCounter> {
  const messages = new Map<number, number>();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 8 && pending.length >= pending.readUInt16BE(2)) {
        if ((pending[1]! & END_OF_MESSAGE) !== 0) messages.set(pending[0]!, (messages.get(pending[0]!) ?? 0) + 1);
        pending = pending.subarray(pending.readUInt16BE(2));
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the counter has no TCP address');
  return {
    port: address.port,
    messages,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const counters: MessageCounter[] = [];
afterEach(async () => {
  for (const counter of counters.splice(0)) await counter.close();
});

/** An unpooled connection through a message counter. */
async function openCounted(): Promise<{ connection: MssqlConnection; counter: MessageCounter }> {
  const builder = new MssqlConnectionStringBuilder(connectionString());
  const [host = '127.0.0.1', port = '1433'] = String(builder.get('Data Source')).split(',');
  const counter = await startMessageCounter({ host, port: Number(port) });
  counters.push(counter);
  builder.set('Data Source', `127.0.0.1,${counter.port}`);
  builder.set('Pooling', false);
  const connection = MssqlProviderFactory.instance.createConnection(builder.connectionString);
  await connection.open();
  return { connection, counter };
}

// Issue 16: a DbBatch on SQL Server is one RPC_REQUEST message carrying one RPC per command (batched RPC).
it('a DbBatch of several parameterised commands is sent as one RPC request message (one round trip)', async () => {
  const { connection, counter } = await openCounted();
  counter.messages.clear();
  const batch = connection.createBatch();
  for (const value of [1, 2, 3, 4, 5]) batch.batchCommands.add('SELECT @v + 1').parameters.addWithValue('@v', value);
  batch.batchCommands.add('SELECT 100');
  batch.batchCommands.add('/* only a comment */');
  const reader = await batch.executeReader();
  const values: unknown[] = [];
  do {
    while (await reader.read()) values.push(reader.getValue(0));
  } while (await reader.nextResult());
  await reader.close();
  expect(values).toEqual([2, 3, 4, 5, 6, 100]);
  expect(Object.fromEntries(counter.messages)).toEqual({ [RPC_REQUEST]: 1 });
  expect(counter.messages.get(SQL_BATCH)).toBeUndefined();
  await connection.close();
});

it('a batch command with an Output or ReturnValue parameter is refused with NotSupportedError before anything is sent', async () => {
  const { connection, counter } = await openCounted();
  counter.messages.clear();
  const batch = connection.createBatch();
  batch.batchCommands.add('SELECT 1');
  const command = batch.batchCommands.add('SET @out = 2');
  const output = command.createParameter();
  output.parameterName = '@out';
  output.direction = ParameterDirection.Output;
  command.parameters.add(output);
  const error = await batch.executeNonQuery().then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(NotSupportedError);
  expect((error as Error).message).toMatch(/index 1 has the Output parameter '@out'/);
  expect(counter.messages.size).toBe(0);
  expect(await connection.createCommand('SELECT 7').executeScalar()).toBe(7);
  await connection.close();
});

it('a value the server cannot take fails the batch before it is sent, and the connection stays usable', async () => {
  const connection = await openConnection();
  const batch = connection.createBatch();
  batch.batchCommands.add('SELECT @v').parameters.addWithValue('@v', 1);
  const bad = batch.batchCommands.add('SELECT @tiny');
  const parameter = bad.createParameter();
  parameter.parameterName = '@tiny';
  parameter.dbType = 'Byte';
  parameter.value = 300;
  bad.parameters.add(parameter);
  const error = await batch.executeNonQuery().then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(Error);
  expect(await connection.createCommand('SELECT 8').executeScalar()).toBe(8);
  await connection.close();
});

it('when several commands of a batch fail (the server runs them all), the caller sees the first failure alone', async () => {
  const connection = await openConnection();
  const batch = connection.createBatch();
  batch.batchCommands.add('SELECT * FROM asyncdb_no_such_table_first');
  batch.batchCommands.add('SELECT @v').parameters.addWithValue('@v', 1);
  batch.batchCommands.add('SELECT * FROM asyncdb_no_such_table_second');
  const error = await batch.executeNonQuery().then(
    () => undefined,
    (rejection: unknown) => rejection as Error & { batchCommand?: unknown },
  );
  expect(error?.batchCommand).toBe(batch.batchCommands.get(0));
  expect(error?.message).toMatch(/asyncdb_no_such_table_first/);
  expect(error?.message).not.toMatch(/asyncdb_no_such_table_second/);
  const reader = await batch.executeReader().catch((rejection: unknown) => rejection as Error);
  const readError =
    reader instanceof Error
      ? reader
      : await reader.nextResult().then(
          () => undefined,
          (e: unknown) => e as Error,
        );
  expect(readError?.message).toMatch(/asyncdb_no_such_table_first/);
  if (!(reader instanceof Error)) await reader.close();
  expect(await connection.createCommand('SELECT 9').executeScalar()).toBe(9);
  await connection.close();
});
