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
  it("plans a command that binds nothing once, by core's frozen statements array", () => {
    const frozen = (text: string, prepared = false): CommandRequest => {
      const built = request(text, CommandType.Text, [], prepared);
      return { ...built, statements: Object.freeze([...built.statements]) };
    };
    const first = frozen('SELECT 1');
    const plan = planStatements(first, mysqlDriver.TypedParameter);
    expect(planStatements(first, mysqlDriver.TypedParameter)).toBe(plan);
    const other = frozen('SELECT 2');
    expect(planStatements(other, mysqlDriver.TypedParameter)[0]!.text).toBe('SELECT 2');
    // Known again after another command ran (not only the last one).
    expect(planStatements(first, mysqlDriver.TypedParameter)).toBe(plan);
    expect(Object.isFrozen(plan)).toBe(true);
    // Prepared, the same statements run on the binary protocol: another plan, never the cached one.
    const prepared = { ...first, prepared: true };
    expect(planStatements(prepared, mysqlDriver.TypedParameter)[0]!.values).toEqual([]);
    // An array core did not freeze (it may be changed) is planned every time.
    const open = request('SELECT 3', CommandType.Text, []);
    expect(planStatements(open, mysqlDriver.TypedParameter)).not.toBe(planStatements(open, mysqlDriver.TypedParameter));
  });

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
