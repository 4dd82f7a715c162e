import { CommandType } from '../contracts/command-type.js';
import type { DbBatchCommand } from '../contracts/db-batch-command.js';
import type {
  BatchCommandRequest,
  BoundParameter,
  CommandRequest,
  StatementRequest,
} from '../providers/provider-spi.js';
import { InvalidOperationError } from '../errors/errors.js';
import { buildCommandRequest, commandRequestOf, type CommandRequestInput } from './build-command-request.js';

/** A batch ready to run: the one request a single-round-trip provider receives, and one request per command. @internal */
export interface BuiltBatch {
  /** Every command's statements in order, with {@link CommandRequest.batch} set. */
  readonly request: CommandRequest;
  /** Each command as the request a `DbCommand` with its text and parameters would make (the sequential path). */
  readonly commandRequests: readonly CommandRequest[];
  /** The batch commands, in the order of `commandRequests`. */
  readonly commands: readonly DbBatchCommand[];
}

/**
 * Translates and binds every command of a batch exactly as `buildCommandRequest` does a command's (its own `@name`
 * parameters, its own statements), synchronously — so each error detectable before sending is thrown by `begin*` —
 * and joins them into one request.
 * @internal
 */
export function buildBatchRequest(input: CommandRequestInput, commands: readonly DbBatchCommand[]): BuiltBatch {
  if (commands.length === 0) {
    throw new InvalidOperationError('The batch has no commands: add at least one to batchCommands before running it.');
  }
  const commandRequests = commands.map((command, index) => {
    if (command.commandText === '') {
      throw new InvalidOperationError(`The batch command at index ${index} has no CommandText.`);
    }
    return buildCommandRequest({
      ...input,
      commandText: command.commandText,
      commandType: command.commandType,
      parameters: command.parameters,
    });
  });
  const batchCommands: BatchCommandRequest[] = commandRequests.map((request) => ({
    commandText: request.commandText,
    commandType: request.commandType,
    statements: request.statements,
    parameters: request.parameters,
  }));
  const statements: StatementRequest[] = [];
  const parameters: BoundParameter[] = [];
  for (const request of commandRequests) {
    statements.push(...request.statements);
    parameters.push(...request.parameters);
  }
  const request = commandRequestOf(input, CommandType.Text, statements, parameters, { commands: batchCommands });
  return { request, commandRequests, commands };
}
