import type { CommandBehavior } from '../contracts/command-behavior.js';
import { CommandType } from '../contracts/command-type.js';
import type { DbParameterCollection } from '../contracts/db-parameter-collection.js';
import { ParameterDirection } from '../contracts/parameter-direction.js';
import type { ProviderCapabilities } from '../providers/provider-capabilities.js';
import type {
  BatchRequest,
  BoundParameter,
  Cancellation,
  CommandRequest,
  StatementRequest,
} from '../providers/provider-spi.js';
import { translatePlaceholders } from '../parameters/translate-placeholders.js';
import { assertBindableValue } from '../values/infer-db-type.js';
import { InvalidOperationError } from '../errors/errors.js';

/** Everything `DbCommand` knows when it starts an execution. @internal */
export interface CommandRequestInput {
  readonly commandText: string;
  readonly commandType: CommandType;
  readonly parameters: DbParameterCollection;
  readonly behavior: CommandBehavior;
  readonly timeoutMs: number;
  /** The execution's abort: its signal is read only if the provider reads `request.signal`. */
  readonly abort: Cancellation & { readonly signal: AbortSignal };
  readonly prepared: boolean;
  readonly inTransaction: boolean;
  readonly capabilities: ProviderCapabilities;
}

/**
 * Snapshots the parameters and translates `@name` markers to the provider's style, synchronously, so that every
 * error detectable before sending (a parameter without a value, an unsendable value, a referenced parameter that is
 * missing) is thrown by `begin*` itself.
 * @internal
 */
export function buildCommandRequest(input: CommandRequestInput): CommandRequest {
  const bound = bindParameters(input.parameters);
  const byName = new Map(bound.map((parameter) => [parameter.name, parameter]));
  let statements: StatementRequest[];
  if (input.commandType === CommandType.StoredProcedure) {
    statements = [{ text: input.commandText, parameters: bound }];
  } else {
    const { capabilities } = input;
    const translated = translatePlaceholders(input.commandText, {
      style: capabilities.placeholderStyle,
      dialect: capabilities.sqlDialect,
      split: capabilities.splitStatements,
      unknownParameters: capabilities.unknownParameters,
      resolve: (name) => {
        const index = input.parameters.indexOf(name);
        return index < 0 ? undefined : input.parameters.get(index).normalizedName;
      },
    });
    statements = translated.map((statement) => ({
      text: statement.text,
      parameters: statement.parameterNames.map((name) => byName.get(name)!),
    }));
  }
  return commandRequestOf(input, input.commandType, statements, bound);
}

/**
 * The request for `input` with its statements and bound parameters already made (a `DbBatch` passes every command's,
 * and its `batch`). `signal` stays a getter: the AbortSignal is created only if the provider reads it.
 * @internal
 */
export function commandRequestOf(
  input: CommandRequestInput,
  commandType: CommandType,
  statements: readonly StatementRequest[],
  parameters: readonly BoundParameter[],
  batch?: BatchRequest,
): CommandRequest {
  const { abort } = input;
  return {
    commandText: input.commandText,
    commandType,
    statements,
    parameters,
    behavior: input.behavior,
    timeoutMs: input.timeoutMs,
    get signal() {
      return abort.signal;
    },
    cancellation: abort,
    prepared: input.prepared,
    inTransaction: input.inTransaction,
    batch,
  };
}

function bindParameters(parameters: DbParameterCollection): BoundParameter[] {
  const bound: BoundParameter[] = [];
  for (const parameter of parameters) {
    const name = parameter.normalizedName;
    if (name === '') throw new InvalidOperationError('Every parameter needs a parameterName before the command runs.');
    const sendsValue =
      parameter.direction === ParameterDirection.Input || parameter.direction === ParameterDirection.InputOutput;
    let value = parameter.value;
    if (sendsValue) {
      if (value === undefined) {
        throw new InvalidOperationError(
          `The parameter '@${name}' has no value. Set its value (null for SQL NULL) before the command runs.`,
        );
      }
      assertBindableValue(value, name);
    } else if (value === undefined) {
      value = null;
    }
    bound.push({
      name,
      value,
      dbType: parameter.dbType,
      dbTypeExplicit: parameter.isDbTypeExplicit,
      direction: parameter.direction,
      size: parameter.size,
      precision: parameter.precision,
      scale: parameter.scale,
    });
  }
  return bound;
}
