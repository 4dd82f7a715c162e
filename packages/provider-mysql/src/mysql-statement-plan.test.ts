import { ArgumentError, CommandType, ParameterDirection, cancellationOf, type CommandRequest } from '@asyncdb/core';
import { describe, expect, it } from 'vitest';
import { boundParameter } from '@asyncdb/testkit';
import { mysqlDriver } from './mysql-driver.js';
import { planStatements } from './mysql-statement-plan.js';

function request(
  commandText: string,
  commandType: CommandType,
  parameters: CommandRequest['parameters'],
  prepared = false,
): CommandRequest {
  const controller = new AbortController();
  return {
    commandText,
    commandType,
    statements: [{ text: commandText, parameters }],
    parameters,
    behavior: 0,
    timeoutMs: 0,
    signal: controller.signal,
    cancellation: cancellationOf(controller.signal),
    prepared,
    inTransaction: false,
  };
}

function parameter(name: string, value: unknown, direction: ParameterDirection = ParameterDirection.Input) {
  return boundParameter(value, { name, direction, dbType: 'Int32', dbTypeExplicit: false });
}

describe('planStatements', () => {
  it('runs statements without values on the text protocol, and with values (or prepared) on the binary one', () => {
    expect(
      planStatements(request('SELECT 1', CommandType.Text, []), mysqlDriver.TypedParameter)[0]!.values,
    ).toBeUndefined();
    expect(
      planStatements(request('SELECT 1', CommandType.Text, [], true), mysqlDriver.TypedParameter)[0]!.values,
    ).toEqual([]);
    const withValue = planStatements(
      request('SELECT ?', CommandType.Text, [parameter('a', 'x')]),
      mysqlDriver.TypedParameter,
    );
    expect(withValue[0]).toMatchObject({ text: 'SELECT ?', values: ['x'], keyword: 'SELECT' });
  });

  it('calls a procedure with bound inputs and user variables for output parameters', () => {
    const plan = planStatements(
      request('shop.add_order', CommandType.StoredProcedure, [
        parameter('customer', 'ann'),
        parameter('total', 5, ParameterDirection.InputOutput),
        parameter('id', null, ParameterDirection.Output),
        parameter('ret', null, ParameterDirection.ReturnValue),
      ]),
      mysqlDriver.TypedParameter,
    );
    expect(plan.map((statement) => statement.text)).toEqual([
      'SET @asyncdb_p1 = ?',
      'CALL `shop`.`add_order`(?, @asyncdb_p1, @asyncdb_p2)',
      'SELECT @asyncdb_p1, @asyncdb_p2',
    ]);
    expect(plan[1]!.values).toEqual(['ann']);
    expect(plan[2]!.outputNames).toEqual(['total', 'id']);
  });

  it('keeps a quoted procedure name as written and refuses anything that is not a name', () => {
    expect(
      planStatements(request('`my proc`', CommandType.StoredProcedure, []), mysqlDriver.TypedParameter)[0]!.text,
    ).toBe('CALL `my proc`()');
    expect(() =>
      planStatements(request('p(); DROP TABLE t', CommandType.StoredProcedure, []), mysqlDriver.TypedParameter),
    ).toThrow(ArgumentError);
  });
});
