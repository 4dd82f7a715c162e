import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandBehavior } from './command-behavior.js';
import { CommandType } from './command-type.js';
import { DbParameter } from './db-parameter.js';
import {
  ArgumentError,
  DbError,
  DbTimeoutError,
  InvalidOperationError,
  OperationCanceledError,
} from '../errors/errors.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import type { MemoryServer } from '../testing/memory-server.js';
import { openConnection, rejectionOf, turns } from '../testing/test-support.js';

const connections: MemoryConnection[] = [];
const servers: MemoryServer[] = [];

async function open(connectionString = 'Database=test') {
  const opened = await openConnection(connectionString);
  connections.push(opened.connection);
  servers.push(opened.server);
  return opened;
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  for (const server of servers.splice(0)) expect(server.violations).toEqual([]);
});

describe('DbCommand properties', () => {
  it('has ADO.NET defaults: empty text, Text type, no connection, no transaction, 30 s timeout', () => {
    const command = new MemoryProviderFactory().createCommand();
    expect(command.commandText).toBe('');
    expect(command.commandType).toBe(CommandType.Text);
    expect(command.connection).toBeNull();
    expect(command.transaction).toBeNull();
    expect(command.commandTimeout).toBe(30);
    expect(command.parameters.count).toBe(0);
  });

  it('coerces a null command text to the empty string', () => {
    const command = new MemoryProviderFactory().createCommand('ROWS 1');
    command.commandText = null;
    expect(command.commandText).toBe('');
  });

  it('returns the same parameters collection every time, and createParameter makes a fresh parameter', () => {
    const command = new MemoryProviderFactory().createCommand();
    expect(command.parameters).toBe(command.parameters);
    const parameter = command.createParameter();
    expect(parameter).toBeInstanceOf(DbParameter);
    expect(command.parameters.count).toBe(0);
  });

  it('refuses an invalid commandType', () => {
    const command = new MemoryProviderFactory().createCommand();
    expect(() => (command.commandType = 'Table' as CommandType)).toThrow(ArgumentError);
  });

  it('takes its default commandTimeout from the connection string', async () => {
    const { connection } = await open('Database=test;Command Timeout=7');
    const command = connection.createCommand('ROWS 1');
    expect(command.commandTimeout).toBe(7);
    command.commandTimeout = 0;
    expect(command.commandTimeout).toBe(0);
  });

  it('refuses a negative or non-finite commandTimeout', () => {
    const command = new MemoryProviderFactory().createCommand();
    expect(() => (command.commandTimeout = -1)).toThrow(ArgumentError);
    expect(() => (command.commandTimeout = Number.NaN)).toThrow(ArgumentError);
  });

  it('refuses to change commandText or connection while its reader is open', async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 2');
    const reader = await command.executeReader();
    expect(() => (command.commandText = 'ROWS 3')).toThrow(InvalidOperationError);
    expect(() => (command.connection = null)).toThrow(InvalidOperationError);
    await reader.close();
    command.commandText = 'ROWS 3';
    command.connection = null;
    expect(command.connection).toBeNull();
  });

  it('cancel() does nothing and never throws when nothing runs', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('UPDATE 1');
    command.cancel();
    await command.executeNonQuery();
    command.cancel();
    command.cancel();
    new MemoryProviderFactory().createCommand().cancel();
    await connection.close();
    command.cancel();
    expect(server.cancellations).toBe(0);
  });

  it('prepare() needs a connection, an open connection and command text', async () => {
    const factory = new MemoryProviderFactory();
    expect(await rejectionOf(factory.createCommand('ROWS 1').prepare())).toBeInstanceOf(InvalidOperationError);
    expect(await rejectionOf(factory.createConnection('Database=x').createCommand('ROWS 1').prepare())).toBeInstanceOf(
      InvalidOperationError,
    );
    const { connection } = await open();
    expect(await rejectionOf(connection.createCommand('').prepare())).toBeInstanceOf(InvalidOperationError);
    await connection.createCommand('ROWS 1').prepare();
  });

  it('await using closes the open reader and leaves the command usable', async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 5');
    const reader = await command.executeReader();
    {
      await using _ = command;
    }
    expect(reader.isClosed).toBe(true);
    expect(await command.executeNonQuery()).toBe(-1);
  });
});

describe('the Promise surface: validation', () => {
  it('rejects (never throws) when the connection is missing, closed, or the text is empty', async () => {
    const factory = new MemoryProviderFactory();
    const noConnection = factory.createCommand('ROWS 1').executeReader();
    expect(noConnection).toBeInstanceOf(Promise);
    expect(((await rejectionOf(noConnection)) as Error).message).toBe(
      'executeReader: Connection property has not been initialized.',
    );
    const closed = factory.createConnection('Database=x').createCommand('ROWS 1');
    expect(((await rejectionOf(closed.executeNonQuery())) as Error).message).toBe(
      "executeNonQuery requires an open and available Connection. The connection's current state is closed.",
    );
    const { connection } = await open();
    expect(((await rejectionOf(connection.createCommand('').executeScalar())) as Error).message).toBe(
      'executeScalar: CommandText property has not been initialized',
    );
  });

  it('rejects a second executeReader while a reader is open on the connection', async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 3');
    const reader = await command.executeReader();
    const error = await rejectionOf(command.executeReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'There is already an open DataReader associated with this Connection which must be closed first.',
    );
    expect(await rejectionOf(connection.createCommand('ROWS 1').executeReader())).toBeInstanceOf(InvalidOperationError);
    await reader.close();
  });
});

describe('the Promise surface: cancellation', () => {
  it('a pre-aborted signal rejects with OperationCanceledError before any validation, even on a closed connection', async () => {
    const factory = new MemoryProviderFactory();
    const reason = new Error('user gave up');
    const signal = AbortSignal.abort(reason);
    const closed = factory.createConnection('Database=x');
    for (const attempt of [
      factory.createCommand('').executeReader({ signal }),
      closed.createCommand('').executeNonQuery({ signal }),
      closed.createCommand('ROWS 1').executeScalar({ signal }),
      closed.createCommand('ROWS 1').executeXmlReader({ signal }),
      closed.open({ signal }),
      closed.beginTransaction(undefined, { signal }),
      closed.createCommand('ROWS 1').prepare({ signal }),
    ]) {
      const error = await rejectionOf(attempt);
      expect(error).toBeInstanceOf(OperationCanceledError);
      expect((error as OperationCanceledError).reason).toBe(reason);
    }
    expect(closed.state).toBe('Closed');
  });

  it('a pre-aborted signal sends nothing to an open connection', async () => {
    const { connection, server } = await open();
    await rejectionOf(connection.createCommand('UPDATE 1').executeNonQuery({ signal: AbortSignal.abort() }));
    expect(server.executed).toEqual([]);
  });

  it('aborting the signal during execution cancels on the server', async () => {
    const { connection, server } = await open();
    const controller = new AbortController();
    const running = connection.createCommand('DELAY 5000').executeNonQuery({ signal: controller.signal });
    await turns();
    controller.abort('stop');
    const error = await rejectionOf(running);
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect((error as OperationCanceledError).reason).toBe('stop');
    expect(server.cancellations).toBe(1);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('aborting the signal while a reader is open cancels its next fetch', async () => {
    const { connection, server } = await open();
    const controller = new AbortController();
    const reader = await connection.createCommand('ROWS 5000').executeReader({ signal: controller.signal });
    expect(await reader.read()).toBe(true);
    controller.abort();
    let error: unknown;
    try {
      while (await reader.read()) {
        // reads the prefetched rows, then the next fetch is canceled
      }
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OperationCanceledError);
    expect(server.cancellations).toBeGreaterThanOrEqual(1);
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('aborting the signal after completion does nothing', async () => {
    const { connection, server } = await open();
    const controller = new AbortController();
    expect(await connection.createCommand('UPDATE 1').executeNonQuery({ signal: controller.signal })).toBe(1);
    controller.abort();
    await turns();
    expect(server.cancellations).toBe(0);
  });

  it('cancel() stops a running Promise-surface command', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    const running = command.executeScalar();
    await turns();
    command.cancel();
    expect(await rejectionOf(running)).toBeInstanceOf(OperationCanceledError);
    expect(server.cancellations).toBe(1);
  });
});

describe('the Promise surface: timeouts', () => {
  it("commandTimeout cancels on the server and rejects with DbTimeoutError of kind 'command'", async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('DELAY 5000');
    command.commandTimeout = 1;
    const error = await rejectionOf(command.executeNonQuery());
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    expect((error as DbTimeoutError).isTransient).toBe(true);
    expect(server.cancellations).toBe(1);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('commandTimeout 0 means no limit', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 50; UPDATE 1');
    command.commandTimeout = 0;
    expect(await command.executeNonQuery()).toBe(1);
  });

  it("the budget does not count the caller's own processing time between reads", async () => {
    const { connection } = await open();
    const command = connection.createCommand('ROWS 3000');
    command.commandTimeout = 1;
    const reader = await command.executeReader();
    let rows = 0;
    while (await reader.read()) {
      rows += 1;
      // 3 × 500 ms of our own work, each before a fetch: 1.5 s in all, more than the 1 s timeout.
      if (rows % 1000 === 0) await sleep(500);
    }
    expect(rows).toBe(3000);
    await reader.close();
  });

  it('the budget is spent across every wait of the execution, not per wait', async () => {
    const { connection } = await open();
    const command = connection.createCommand('DELAY 600; ROWS 1; DELAY 600; ROWS 1');
    command.commandTimeout = 1;
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    const error = await rejectionOf(reader.nextResult());
    expect(error).toBeInstanceOf(DbTimeoutError);
    expect((error as DbTimeoutError).kind).toBe('command');
    expect(reader.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});

describe('executeScalar', () => {
  it('resolves undefined when there is no row', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('EMPTY').executeScalar()).toBeUndefined();
  });

  it('resolves undefined for a command without a result set', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('UPDATE 3').executeScalar()).toBeUndefined();
  });

  it('resolves null for SQL NULL', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('VALUES [[null, 1]]').executeScalar()).toBeNull();
  });

  it('resolves the first column of the first row', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('VALUES [["a", "b"], ["c", "d"]]').executeScalar()).toBe('a');
  });

  it('resolves the first result when batching, after DML statements', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('UPDATE 1; VALUES [[42]]; VALUES [[43]]').executeScalar()).toBe(42);
  });

  it('still surfaces the error of a later statement', async () => {
    const { connection } = await open();
    expect(await rejectionOf(connection.createCommand('VALUES [[1]]; FAIL later').executeScalar())).toBeInstanceOf(
      DbError,
    );
    expect(await connection.createCommand('VALUES [[2]]').executeScalar()).toBe(2);
  });
});

describe('executeNonQuery', () => {
  it('resolves the sum of the rows affected', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('UPDATE 2; UPDATE 3').executeNonQuery()).toBe(5);
  });

  it('resolves -1 for a query', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('ROWS 3').executeNonQuery()).toBe(-1);
  });

  it('resolves -1 for a comment-only command', async () => {
    const { connection } = await open();
    expect(await connection.createCommand('COMMENT').executeNonQuery()).toBe(-1);
  });

  it('rejects with the server error and releases the connection', async () => {
    const { connection } = await open();
    expect(await rejectionOf(connection.createCommand('UPDATE 1; FAIL nope').executeNonQuery())).toBeInstanceOf(
      DbError,
    );
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});

describe('executeXmlReader', () => {
  it('concatenates the chunks of the XML column', async () => {
    const { connection } = await open();
    const xml = await connection.createCommand('XML <r> <a>1</a> <b/> </r>').executeXmlReader();
    expect(await xml.readToEnd()).toBe('<r><a>1</a><b/></r>');
    expect(xml.isClosed).toBe(true);
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('yields the chunks one by one with for await', async () => {
    const { connection } = await open();
    const chunks: string[] = [];
    for await (const chunk of await connection.createCommand('XML <a> x </a>').executeXmlReader()) chunks.push(chunk);
    expect(chunks).toEqual(['<a>', 'x', '</a>']);
  });

  it('accepts a single text column', async () => {
    const { connection } = await open();
    const xml = await connection.createCommand('VALUES [["<a>"], ["</a>"]]').executeXmlReader();
    expect(await xml.readToEnd()).toBe('<a></a>');
  });

  it('rejects a result of two columns with InvalidOperationError and releases the connection', async () => {
    const { connection } = await open();
    const error = await rejectionOf(connection.createCommand('VALUES [["<a/>", "<b/>"]]').executeXmlReader());
    expect(error).toBeInstanceOf(InvalidOperationError);
    expect((error as Error).message).toBe(
      'Invalid command sent to ExecuteXmlReader. The command must return an Xml result.',
    );
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });

  it('rejects a single non-text column', async () => {
    const { connection } = await open();
    expect(await rejectionOf(connection.createCommand('ROWS 2').executeXmlReader())).toBeInstanceOf(
      InvalidOperationError,
    );
  });

  it('closing it early releases the connection', async () => {
    const { connection } = await open();
    const xml = await connection.createCommand('XML <a> b </a>').executeXmlReader();
    await xml.close();
    expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
  });
});

describe('executeReader', () => {
  it('accepts the behavior as a number or in the options', async () => {
    const { connection } = await open();
    const first = await connection.createCommand('ROWS 3').executeReader(CommandBehavior.SingleRow);
    expect(await first.read()).toBe(true);
    expect(await first.read()).toBe(false);
    await first.close();
    const second = await connection.createCommand('ROWS 3').executeReader({ behavior: CommandBehavior.SingleRow });
    expect(await second.read()).toBe(true);
    expect(await second.read()).toBe(false);
    await second.close();
  });

  it('rejects an invalid behavior with ArgumentError', async () => {
    const { connection } = await open();
    expect(await rejectionOf(connection.createCommand('ROWS 1').executeReader(0x40))).toBeInstanceOf(ArgumentError);
  });

  it('sends parameters as bound values translated to the provider markers', async () => {
    const { connection, server } = await open();
    const command = connection.createCommand('PARAMS @b, @a, @b');
    command.parameters.addWithValue('@a', 1);
    command.parameters.addWithValue('b', 'two');
    const reader = await command.executeReader();
    expect(await reader.read()).toBe(true);
    expect(reader.getValues()).toEqual(['two', 1]);
    await reader.close();
    expect(server.executed).toEqual(['PARAMS $1, $2, $1']);
  });
});
