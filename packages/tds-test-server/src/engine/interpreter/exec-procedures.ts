import type { EngineEvent, TdsColumn, TdsValue } from '../engine-types.js';
import { coerceValue } from '../session/coerce.js';
import { Scope } from '../session/scope.js';
import type {
  CreateProcedureStatement,
  DropProcedureStatement,
  ExecDynamicStatement,
  ExecStatement,
  ProcedureParameter,
} from '../tsql/ast.js';
import { parseBatch } from '../tsql/parser.js';
import { splitTopLevel } from '../tsql/token-utils.js';
import { isWord, tokenize } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { parseSqlType } from '../tsql/type-names.js';
import { describeFirstResultSet } from './describe-first-result-set.js';
import { displayText, evaluate } from './evaluate.js';
import { newFrame, type Execution, type Flow, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';
import type { SessionHost } from './session-host.js';

/** An argument of a procedure call (EXEC or RPC), already evaluated. */
export interface BoundArgument {
  /** With '@'; undefined (or '') for positional arguments. */
  readonly name?: string;
  readonly value: TdsValue;
  readonly output: boolean;
  /** `DEFAULT` was passed: the parameter's default applies. */
  readonly isDefault?: boolean;
}

/** An OUTPUT parameter's final value, and the argument it goes back to. */
export interface OutputValue {
  readonly parameter: ProcedureParameter;
  readonly argumentIndex: number;
  readonly value: TdsValue;
}

/** How a procedure call (or sp_executesql) ended. */
export interface CallOutcome {
  readonly flow: Flow;
  /** RETURN's value (0 without RETURN). */
  readonly status: number;
  readonly outputs: readonly OutputValue[];
}

const sameName = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Declares the parameters in a new scope from the arguments: positional ones first, then by name; a
 * parameter without an argument takes its default, or fails with `missing(name)`.
 */
async function bindParameters(
  host: SessionHost,
  parameters: readonly ProcedureParameter[],
  args: readonly BoundArgument[],
  label: string,
  missing: (parameter: string) => TsqlError,
): Promise<{ scope: Scope; argumentIndexes: number[] }> {
  const positional = args.map((arg, index) => ({ arg, index })).filter(({ arg }) => arg.name === undefined || arg.name === '');
  if (positional.length > parameters.length) throw new TsqlError(8144, `Procedure or function ${label} has too many arguments specified.`, 1);
  for (const arg of args) {
    if (arg.name !== undefined && arg.name !== '' && !parameters.some((p) => sameName(arg.name, p.name))) {
      throw new TsqlError(8145, `${arg.name} is not a parameter for procedure ${label}.`, 1);
    }
  }
  const scope = new Scope();
  const argumentIndexes: number[] = [];
  for (const [i, parameter] of parameters.entries()) {
    const index = i < positional.length ? (positional[i] as { index: number }).index : args.findIndex((a) => sameName(a.name, parameter.name));
    const arg = args[index];
    argumentIndexes.push(index);
    let value: TdsValue;
    if (arg === undefined || arg.isDefault === true) {
      if (parameter.default === undefined) throw missing(parameter.name);
      value = await evaluate(host, newFrame(), parameter.default, parameter.type);
    } else {
      value = coerceValue(arg.value, parameter.type.tds);
    }
    scope.declare(parameter.name, parameter.type, value);
  }
  return { scope, argumentIndexes };
}

function outputsOf(parameters: readonly ProcedureParameter[], args: readonly BoundArgument[], argumentIndexes: readonly number[], scope: Scope): OutputValue[] {
  const outputs: OutputValue[] = [];
  parameters.forEach((parameter, i) => {
    const argumentIndex = argumentIndexes[i] ?? -1;
    if (parameter.output && args[argumentIndex]?.output === true) {
      outputs.push({ parameter, argumentIndex, value: scope.get(parameter.name)?.value ?? null });
    }
  });
  return outputs;
}

/** Runs a stored procedure's body in its own scope. */
export async function* runProcedure(interpreter: Interpreter, procedure: CreateProcedureStatement, args: readonly BoundArgument[], caller: Frame): AsyncGenerator<EngineEvent, CallOutcome> {
  const missing = (name: string): TsqlError =>
    new TsqlError(201, `Procedure or function '${procedure.displayName}' expects parameter '${name}', which was not supplied.`, 1);
  const { scope, argumentIndexes } = await bindParameters(interpreter.host, procedure.parameters, args, procedure.displayName, missing);
  const frame = newFrame({ procName: procedure.displayName, parent: caller, scope });
  const flow = yield* interpreter.runStatements(procedure.body, frame);
  return { flow, status: frame.returnValue ?? 0, outputs: outputsOf(procedure.parameters, args, argumentIndexes, scope) };
}

/** Parses sp_executesql's parameter declarations: `@a int, @b nvarchar(10) OUTPUT`. */
export function parseDeclarations(text: string): ProcedureParameter[] {
  const tokens = tokenize(text);
  return splitTopLevel(tokens).map((part) => {
    const [name] = part;
    if (name?.kind !== 'variable') throw new TsqlError(102, `Incorrect syntax near '${name?.text ?? text}'.`, 1);
    const { type, next } = parseSqlType(part, isWord(part[1], 'AS') ? 2 : 1);
    const rest = part.slice(next);
    if (rest.length > 1 || (rest.length === 1 && !isWord(rest[0], 'OUTPUT', 'OUT'))) {
      throw new TsqlError(102, `Incorrect syntax near '${rest[0]?.text ?? ''}'.`, 1);
    }
    return { name: name.value, type, output: rest.length === 1 };
  });
}

/** sp_executesql: runs `statement` in its own scope, its declared parameters bound from `args`. */
export async function* runExecuteSql(
  interpreter: Interpreter,
  statement: TdsValue,
  declarations: TdsValue,
  args: readonly BoundArgument[],
  caller: Frame,
): AsyncGenerator<EngineEvent, CallOutcome> {
  const text = statement === null ? '' : displayText(statement);
  const parameters = declarations === null ? [] : parseDeclarations(displayText(declarations));
  const signature = `(${declarations === null ? '' : displayText(declarations)})${text}`;
  const missing = (name: string): TsqlError =>
    new TsqlError(8178, `The parameterized query '${signature.slice(0, 100)}' expects the parameter '${name}', which was not supplied.`, 1);
  const { scope, argumentIndexes } = await bindParameters(interpreter.host, parameters, args, 'sp_executesql', missing);
  const statements = parseBatch(text);
  const frame = newFrame({ parent: caller, scope });
  const flow = yield* interpreter.runStatements(statements, frame);
  return { flow, status: 0, outputs: outputsOf(parameters, args, argumentIndexes, scope) };
}

/** `EXEC [@rc =] procedure args` inside a batch (including `EXEC sp_executesql …`). */
export async function* execProcedure(interpreter: Interpreter, statement: ExecStatement, frame: Frame): Execution {
  const host = interpreter.host;
  const args: BoundArgument[] = [];
  for (const arg of statement.args) {
    const isDefault = arg.value.length === 1 && isWord(arg.value[0], 'DEFAULT');
    const value = isDefault ? null : await evaluate(host, frame, arg.value);
    const bound = { value, output: arg.output, ...(isDefault ? { isDefault } : {}) };
    args.push(arg.name === undefined ? bound : { ...bound, name: arg.name });
  }
  let outcome: CallOutcome;
  if (statement.procedure === 'sp_executesql') {
    const [text, declarations, ...rest] = args;
    outcome = yield* runExecuteSql(interpreter, text?.value ?? null, declarations?.value ?? null, rest, frame);
    outcome = { ...outcome, outputs: outcome.outputs.map((o) => ({ ...o, argumentIndex: o.argumentIndex + 2 })) };
  } else if (statement.procedure === 'sp_describe_first_result_set') {
    outcome = yield* describeFirstResultSet(host, args, frame);
  } else {
    const procedure = host.procedures.get(statement.procedure);
    if (procedure === undefined) throw new TsqlError(2812, `Could not find stored procedure '${statement.displayName}'.`, statement.line);
    outcome = yield* runProcedure(interpreter, procedure, args, frame);
  }
  if (outcome.flow === 'abort') return 'abort';
  for (const output of outcome.outputs) {
    const token = statement.args[output.argumentIndex]?.value;
    if (token?.length !== 1 || token[0]?.kind !== 'variable') continue;
    const target = interpreter.variable(frame, token[0].value, statement.line);
    target.value = coerceValue(output.value, target.type.tds);
  }
  if (statement.returnVariable !== undefined) {
    const target = interpreter.variable(frame, statement.returnVariable, statement.line);
    target.value = coerceValue(outcome.status, target.type.tds);
  }
  yield { kind: 'returnStatus', value: outcome.status };
  return 'next';
}

/** `EXEC (expr)`: the string runs as a batch of its own (its own variable scope). */
export async function* execDynamic(interpreter: Interpreter, statement: ExecDynamicStatement, frame: Frame): Execution {
  const text = displayText(await evaluate(interpreter.host, frame, statement.expression));
  const flow = yield* interpreter.runStatements(parseBatch(text), newFrame({ parent: frame }));
  return flow === 'abort' ? 'abort' : 'next';
}

/** CREATE / ALTER / CREATE OR ALTER PROCEDURE: stored (parsed) in the engine's procedure store. */
export function createProcedure(host: SessionHost, statement: CreateProcedureStatement): void {
  const exists = host.procedures.has(statement.name);
  if (statement.mode === 'create' && exists) {
    throw new TsqlError(2714, `There is already an object named '${statement.displayName}' in the database.`, statement.line);
  }
  if (statement.mode === 'alter' && !exists) {
    throw new TsqlError(208, `Invalid object name '${statement.displayName}'.`, statement.line);
  }
  host.procedures.set(statement);
}

/** DROP PROCEDURE [IF EXISTS]. */
export function dropProcedure(host: SessionHost, statement: DropProcedureStatement): void {
  for (const name of statement.names) {
    if (!host.procedures.delete(name) && !statement.ifExists) {
      throw new TsqlError(3701, `Cannot drop the procedure '${name}', because it does not exist or you do not have permission.`, statement.line);
    }
  }
}

/** The type SQL Server reports for an OUTPUT parameter's RETURNVALUE. */
export function returnValueType(output: OutputValue): TdsColumn {
  return { ...output.parameter.type.tds, name: output.parameter.name };
}
