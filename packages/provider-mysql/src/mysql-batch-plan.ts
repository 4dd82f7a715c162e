import { NotSupportedError, ParameterDirection, type BatchRequest, type CommandRequest } from '@asyncdb/core';
import type { MysqlTypedParameters } from './mysql-driver.js';
import type { MysqlBatchPlan } from './mysql-result-cursor.js';
import { planStatements, type PlannedStatement } from './mysql-statement-plan.js';

/**
 * Plans a `DbBatch` for the pipelined cursor: every command's statements in order (each command planned exactly as a
 * `DbCommand` with its text and parameters would be), and where each command ends.
 *
 * Refused before anything is sent (NotSupportedError): Output, InputOutput and ReturnValue parameters — core copies
 * output values back only on the sequential path, and a procedure's outputs are read by a SELECT of its own. A
 * statement without values always goes as text here: the ER_UNSUPPORTED_PS retry of a command cannot be pipelined.
 */
export function planBatch(
  request: CommandRequest,
  batch: BatchRequest,
  typed: MysqlTypedParameters,
): { readonly statements: PlannedStatement[]; readonly plan: MysqlBatchPlan } {
  const statements: PlannedStatement[] = [];
  const commands: Array<{ end: number; statements: number }> = [];
  batch.commands.forEach((command, index) => {
    const output = command.parameters.find((parameter) => parameter.direction !== ParameterDirection.Input);
    if (output !== undefined) {
      throw new NotSupportedError(
        `The batch command at index ${index} has the ${output.direction} parameter '@${output.name.replace(/^@/, '')}': ` +
          'a DbBatch on MySQL returns no output values. Run that command as a DbCommand.',
      );
    }
    const planned = planStatements(
      {
        ...request,
        commandText: command.commandText,
        commandType: command.commandType,
        statements: command.statements,
        parameters: command.parameters,
        batch: undefined,
      },
      typed,
    );
    for (const statement of planned)
      statements.push(statement.values?.length === 0 ? { ...statement, values: undefined } : statement);
    commands.push({ end: statements.length, statements: command.statements.length });
  });
  return { statements, plan: { commands } };
}
