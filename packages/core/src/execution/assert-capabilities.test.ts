import { afterEach, describe, expect, it } from 'vitest';
import { CommandType } from '../contracts/command-type.js';
import { DbParameter } from '../contracts/db-parameter.js';
import { ParameterDirection } from '../contracts/parameter-direction.js';
import { NotSupportedError } from '../errors/errors.js';
import { MemoryProviderFactory, type MemoryConnection } from '../testing/memory-provider.js';
import { MemoryServer } from '../testing/memory-server.js';
import { openConnection, rejectionOf, thrownBy } from '../testing/test-support.js';

// Issue 13 item 14: what the capabilities say a provider cannot do is refused by Begin and by the Promise methods,
// before anything is sent — in core, once, not by each provider (pg used to refuse StoredProcedure only at End and
// to leave output parameters unchanged without a word).

const connections: MemoryConnection[] = [];

async function openLimited(): Promise<{ connection: MemoryConnection; server: MemoryServer }> {
  const factory = new MemoryProviderFactory(new MemoryServer(), {
    supportsStoredProcedures: false,
    supportsOutputParameters: false,
  });
  const { connection, server } = await openConnection('Database=test;async=true', factory);
  connections.push(connection);
  return { connection, server };
}

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
});

describe('capabilities checked before sending', () => {
  it('CommandType.StoredProcedure: Begin throws NotSupportedError at once, the Promise methods reject, nothing sent', async () => {
    const { connection, server } = await openLimited();
    const command = connection.createCommand('my_procedure');
    command.commandType = CommandType.StoredProcedure;
    for (const begin of [
      () => command.beginExecuteNonQuery(),
      () => command.beginExecuteReader(),
      () => command.beginExecuteScalar(),
    ]) {
      const error = thrownBy(begin);
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as Error).message).toMatch(/CommandType\.StoredProcedure.*supportsStoredProcedures/);
    }
    for (const run of [() => command.executeNonQuery(), () => command.executeReader(), () => command.executeScalar()]) {
      expect(await rejectionOf(run())).toBeInstanceOf(NotSupportedError);
    }
    expect(server.executed).toEqual([]);
    // The connection is fine: a text command runs.
    expect(await connection.createCommand('UPDATE 3').executeNonQuery()).toBe(3);
  });

  it.each([ParameterDirection.Output, ParameterDirection.InputOutput, ParameterDirection.ReturnValue])(
    'a %s parameter is refused, naming the parameter, and nothing is sent',
    async (direction) => {
      const { connection, server } = await openLimited();
      const command = connection.createCommand('UPDATE 1');
      command.parameters.add(new DbParameter({ parameterName: '@result', direction, value: 1 }));
      const error = thrownBy(() => command.beginExecuteNonQuery());
      expect(error).toBeInstanceOf(NotSupportedError);
      expect((error as Error).message).toContain(`'@result' has direction ${direction}`);
      expect(await rejectionOf(command.executeNonQuery())).toBeInstanceOf(NotSupportedError);
      expect(server.executed).toEqual([]);
    },
  );

  it('a batch with a StoredProcedure command or an output parameter is refused before any command runs', async () => {
    const { connection, server } = await openLimited();
    const batch = connection.createBatch();
    batch.batchCommands.add('UPDATE 1');
    batch.batchCommands.add('proc').commandType = CommandType.StoredProcedure;
    expect(await rejectionOf(batch.executeNonQuery())).toBeInstanceOf(NotSupportedError);
    const second = connection.createBatch();
    second.batchCommands.add('UPDATE 1');
    second.batchCommands
      .add('UPDATE 2')
      .parameters.add(new DbParameter({ parameterName: '@o', direction: ParameterDirection.Output }));
    expect(await rejectionOf(second.executeNonQuery())).toBeInstanceOf(NotSupportedError);
    expect(server.executed).toEqual([]);
  });

  it('a provider that declares the capabilities gets such commands', async () => {
    const { connection, server } = await openConnection();
    connections.push(connection);
    const command = connection.createCommand('UPDATE 1');
    command.parameters.add(new DbParameter({ parameterName: '@o', direction: ParameterDirection.Output }));
    await command.executeNonQuery();
    expect(server.executed).toEqual(['UPDATE 1']);
  });
});
