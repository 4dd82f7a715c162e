import { describe, expect, it, vi } from 'vitest';
import { CONNECTION_PLAN_LIMIT, connectionPlanOf } from './connection-plan.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { ConnectionStringError } from '../errors/errors.js';

describe('connectionPlanOf (issue 12, item 2)', () => {
  it('parses a connection string once per factory, however many connections and commands use it', async () => {
    const factory = new MemoryProviderFactory();
    const parse = vi.spyOn(factory, 'createConnectionStringBuilder');
    const text = 'Database=shop;Command Timeout=7;Connect Timeout=3;async=true';
    const connections = [factory.createConnection(text), factory.createConnection(text)];
    const third = factory.createConnection();
    third.connectionString = text;
    connections.push(third);
    for (const connection of connections) {
      await connection.open();
      expect(connection.createCommand('UPDATE 1').commandTimeout).toBe(7);
      expect(await connection.createCommand('UPDATE 1').executeNonQuery()).toBe(1);
      expect(connection.asynchronousProcessing).toBe(true);
      await connection.close();
    }
    expect(parse).toHaveBeenCalledTimes(1);
    const plan = connectionPlanOf(factory, text);
    expect(plan).toMatchObject({ commandTimeoutSeconds: 7, connectTimeoutSeconds: 3, asynchronousProcessing: true });
    expect(plan.persistSecurityInfo).toBe(false);
  });

  it('keeps the defaults of a string that sets none, and factories apart', () => {
    const first = connectionPlanOf(new MemoryProviderFactory(), 'Database=a');
    const second = connectionPlanOf(new MemoryProviderFactory(), 'Database=a');
    expect(second).not.toBe(first);
    expect(first).toMatchObject({ commandTimeoutSeconds: 30, connectTimeoutSeconds: 15, asynchronousProcessing: false });
  });

  it('throws the parse error every time and caches nothing for a bad string', () => {
    const factory = new MemoryProviderFactory();
    expect(() => connectionPlanOf(factory, 'Nonsense Keyword=1')).toThrow(ConnectionStringError);
    expect(() => connectionPlanOf(factory, 'Nonsense Keyword=1')).toThrow(ConnectionStringError);
  });

  it(`is bounded: past ${CONNECTION_PLAN_LIMIT} strings the oldest is parsed again`, () => {
    const factory = new MemoryProviderFactory();
    const first = connectionPlanOf(factory, 'Database=db0');
    for (let i = 1; i <= CONNECTION_PLAN_LIMIT; i++) connectionPlanOf(factory, `Database=db${i}`);
    const again = connectionPlanOf(factory, 'Database=db0');
    expect(again).not.toBe(first);
    expect(again.builder.get('Database')).toBe('db0');
  });
});
