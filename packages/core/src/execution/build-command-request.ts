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
import { NO_PARAMETERS, translatedStatements } from '../parameters/translation-cache.js';
import { assertBindableValue } from '../values/infer-db-type.js';
import { InvalidOperationError } from '../errors/errors.js';
import { assertCommandSupported } from './assert-capabilities.js';
import { assertWellFormedCommandText } from '../values/lone-surrogate.js';
import { BoundParameterValue, BoundStatement } from './bound-request-parts.js';

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
 * missing) is thrown by `begin*` itself. The translation is cached per (text, parameter names): see
 * {@link translatedStatements}.
 * @internal
 */
export function buildCommandRequest(input: CommandRequestInput): CommandRequest {
  assertCommandSupported(input.commandType, input.parameters, input.capabilities);
  const bound = bindParameters(input.parameters);
  let statements: readonly StatementRequest[];
  if (input.commandType === CommandType.StoredProcedure) {
    assertWellFormedCommandText(input.commandText);
    const procedure = new Array<StatementRequest>(1);
    procedure[0] = new BoundStatement(input.commandText, bound);
    statements = procedure;
  } else {
    statements = translatedStatements(input.commandText, input.parameters, bound, input.capabilities);
  }
  return new CoreCommandRequest(input, input.commandType, statements, bound, undefined);
}

/**
 * The request for `input` with its statements and bound parameters already made (a `DbBatch` passes every command's,
 * and its `batch`).
 * @internal
 */
export function commandRequestOf(
  input: CommandRequestInput,
  commandType: CommandType,
  statements: readonly StatementRequest[],
  parameters: readonly BoundParameter[],
  batch?: BatchRequest,
): CommandRequest {
  return new CoreCommandRequest(input, commandType, statements, parameters, batch);
}

/**
 * A {@link CommandRequest} as a class: its fields are set once, its `signal` getter lives on the prototype (an object
 * literal with a getter allocated a closure and a fresh shape per execution). `signal` stays lazy: the AbortSignal
 * is created only if the provider reads it.
 */
class CoreCommandRequest implements CommandRequest {
  readonly commandText: string;
  readonly commandType: CommandType;
  readonly statements: readonly StatementRequest[];
  readonly parameters: readonly BoundParameter[];
  readonly behavior: CommandBehavior;
  readonly timeoutMs: number;
  readonly cancellation: Cancellation & { readonly signal: AbortSignal };
  readonly prepared: boolean;
  readonly inTransaction: boolean;
  readonly batch: BatchRequest | undefined;

  constructor(
    input: CommandRequestInput,
    commandType: CommandType,
    statements: readonly StatementRequest[],
    parameters: readonly BoundParameter[],
    batch: BatchRequest | undefined,
  ) {
    this.commandText = input.commandText;
    this.commandType = commandType;
    this.statements = statements;
    this.parameters = parameters;
    this.behavior = input.behavior;
    this.timeoutMs = input.timeoutMs;
    this.cancellation = input.abort;
    this.prepared = input.prepared;
    this.inTransaction = input.inTransaction;
    this.batch = batch;
  }

  get signal(): AbortSignal {
    return this.cancellation.signal;
  }
}

function bindParameters(parameters: DbParameterCollection): readonly BoundParameter[] {
  if (parameters.count === 0) return NO_PARAMETERS;
  const bound = new Array<BoundParameter>(parameters.count);
  let index = 0;
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
    bound[index++] = new BoundParameterValue(
      name,
      value,
      parameter.dbType,
      parameter.isDbTypeExplicit,
      parameter.direction,
      parameter.size,
      parameter.precision,
      parameter.scale,
    );
  }
  return bound;
}
