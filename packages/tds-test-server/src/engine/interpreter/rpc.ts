import type { EngineEvent, RpcParameter } from '../engine-types.js';
import { parseBatch } from '../tsql/parser.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { describeFirstResultSet } from './describe-first-result-set.js';
import { displayText } from './evaluate.js';
import { returnValueType, runExecuteSql, runProcedure, type BoundArgument, type CallOutcome } from './exec-procedures.js';
import { toFailure } from './failure.js';
import { newFrame, type Frame } from './frame.js';
import type { Interpreter } from './interpreter.js';

const INT_COLUMN = { name: '', type: 'int', nullable: true } as const;

/** `[dbo].[MyProc]`, `dbo.MyProc`, `sp_executesql` → `myproc`, `sp_executesql`. */
export function normalizeProcedureName(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/^\[(.*)\]$/, '$1').replace(/^"(.*)"$/, '$1').toLowerCase();
}

function toArguments(parameters: readonly RpcParameter[]): BoundArgument[] {
  return parameters.map((p) => (p.name === '' ? { value: p.value, output: p.output } : { name: p.name, value: p.value, output: p.output }));
}

/** RETURNSTATUS then one RETURNVALUE per OUTPUT parameter (ordinal = its position in the RPC). */
function* results(outcome: CallOutcome, parameters: readonly RpcParameter[], offset: number): Generator<EngineEvent> {
  yield { kind: 'returnStatus', value: outcome.status };
  for (const output of outcome.outputs) {
    const ordinal = output.argumentIndex + offset;
    const name = parameters[ordinal]?.name || output.parameter.name;
    yield { kind: 'returnValue', ordinal, name, type: returnValueType(output), value: output.value };
  }
}

function handleOf(parameter: RpcParameter | undefined): number {
  const handle = Number(parameter?.value ?? Number.NaN);
  if (!Number.isInteger(handle)) throw new TsqlError(8179, `Could not find prepared statement with handle ${displayText(parameter?.value ?? null)}.`, 1);
  return handle;
}

/**
 * Runs an RPC request: sp_executesql, sp_prepare / sp_prepexec / sp_execute / sp_unprepare (tedious'
 * prepare/execute), sp_describe_first_result_set, sp_reset_connection, or a procedure created with CREATE PROCEDURE. Statement errors
 * are reported by the interpreter; errors in the call itself (unknown procedure, missing parameter)
 * become ERROR + DONE here.
 */
export async function* executeRpc(interpreter: Interpreter, procName: string, parameters: readonly RpcParameter[]): AsyncGenerator<EngineEvent> {
  const frame = newFrame();
  try {
    yield* dispatch(interpreter, normalizeProcedureName(procName), parameters, frame);
  } catch (error) {
    const failure = await toFailure(error, interpreter.host, frame, 1);
    yield* failure.events;
    yield { kind: 'message', message: failure.tdsMessage };
    yield { kind: 'done', rowCount: null, error: true };
  }
}

async function* dispatch(interpreter: Interpreter, name: string, parameters: readonly RpcParameter[], frame: Frame): AsyncGenerator<EngineEvent> {
  const state = interpreter.host.state;
  switch (name) {
    case 'sp_executesql': {
      const [statement, declarations, ...rest] = parameters;
      const outcome = yield* runExecuteSql(interpreter, statement?.value ?? null, declarations?.value ?? null, toArguments(rest), frame);
      if (outcome.flow !== 'abort') yield* results(outcome, parameters, 2);
      return;
    }
    case 'sp_prepare':
    case 'sp_prepexec': {
      const [handleParameter, declarations, statement, ...rest] = parameters;
      const text = statement?.value === null || statement === undefined ? '' : displayText(statement.value);
      const declarationText = declarations?.value === null || declarations === undefined ? '' : displayText(declarations.value);
      parseBatch(text); // syntax errors surface at prepare time, as in SQL Server
      const handle = state.nextHandle++;
      state.prepared.set(handle, { declarations: declarationText, statement: text });
      yield { kind: 'returnValue', ordinal: 0, name: handleParameter?.name || '@handle', type: INT_COLUMN, value: handle };
      if (name === 'sp_prepare') {
        yield { kind: 'returnStatus', value: 0 };
        return;
      }
      const outcome = yield* runExecuteSql(interpreter, text, declarationText === '' ? null : declarationText, toArguments(rest), frame);
      if (outcome.flow !== 'abort') yield* results(outcome, parameters, 3);
      return;
    }
    case 'sp_execute': {
      const [handleParameter, ...rest] = parameters;
      const handle = handleOf(handleParameter);
      const prepared = state.prepared.get(handle);
      if (prepared === undefined) throw new TsqlError(8179, `Could not find prepared statement with handle ${handle}.`, 1);
      const declarations = prepared.declarations === '' ? null : prepared.declarations;
      const outcome = yield* runExecuteSql(interpreter, prepared.statement, declarations, toArguments(rest), frame);
      if (outcome.flow !== 'abort') yield* results(outcome, parameters, 1);
      return;
    }
    case 'sp_unprepare':
      state.prepared.delete(handleOf(parameters[0]));
      yield { kind: 'returnStatus', value: 0 };
      return;
    case 'sp_describe_first_result_set': {
      const outcome = yield* describeFirstResultSet(interpreter.host, toArguments(parameters), frame);
      yield* results(outcome, parameters, 0);
      return;
    }
    case 'sp_reset_connection':
      await interpreter.host.resetSession();
      return;
    default: {
      const procedure = interpreter.host.procedures.get(name);
      if (procedure === undefined) throw new TsqlError(2812, `Could not find stored procedure '${name}'.`, 1);
      const outcome = yield* runProcedure(interpreter, procedure, toArguments(parameters), frame);
      if (outcome.flow !== 'abort') yield* results(outcome, parameters, 0);
    }
  }
}
