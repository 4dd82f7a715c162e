import {
  ArgumentError,
  CommandType,
  ParameterDirection,
  type BoundParameter,
  type CommandRequest,
  type StatementRequest,
} from '@asyncdb/core';
import { joinCompoundStatements } from './mysql-compound-statements.js';
import type { MysqlTypedParameters } from './mysql-driver.js';
import { encodeMysqlParameter } from './mysql-parameter-encoder.js';
import { quoteIdentifier } from './mysql-session.js';
import { textFacts } from './mysql-text-facts.js';

/** One statement as the cursor runs it. */
export interface PlannedStatement {
  readonly text: string;
  /** The values for its `?` markers; `undefined` runs it on the text protocol (it has no values). */
  readonly values: readonly unknown[] | undefined;
  /** Its first keyword (`SELECT`, `CALL`, …), upper-cased. */
  readonly keyword: string;
  /**
   * For the statement that reads a procedure's OUT parameters back: the parameter names of its columns, in order.
   * Its row becomes the cursor's `outputValues` and is not shown to the reader.
   */
  readonly outputNames?: readonly string[];
}

/**
 * A planned statement. A class rather than an object literal: it lives for the whole round trip, and V8 moves an
 * object literal's allocation site to the old generation when a burst of callers keeps many of them alive across a
 * scavenge (allocation-site pretenuring) — which then promotes everything the request references.
 */
class PlannedText implements PlannedStatement {
  constructor(
    readonly text: string,
    readonly values: readonly unknown[] | undefined,
    readonly keyword: string,
  ) {}
}

/**
 * The plans of statements that bind nothing, by the core statement object they came from: core's translation cache
 * hands out one shared object per such statement, so a command run again and again plans it once.
 */
const PLANNED_WITHOUT_VALUES = new WeakMap<StatementRequest, PlannedStatement>();

/**
 * The plans of commands whose statements all bind nothing, by core's statements array: core's translation cache hands
 * out one frozen array for such a text, so a command run again plans nothing (and the last one is known by identity).
 */
const PLANNED_COMMANDS = new WeakMap<readonly StatementRequest[], readonly PlannedStatement[]>();
let lastStatements: readonly StatementRequest[] | undefined;
let lastPlanned: readonly PlannedStatement[] | undefined;

/** Plans the statements of a command: the text's statements, or the CALL of a stored procedure. */
export function planStatements(request: CommandRequest, typed: MysqlTypedParameters): readonly PlannedStatement[] {
  if (request.commandType === CommandType.StoredProcedure) return planProcedureCall(request, typed);
  const requested = request.statements;
  if (!request.prepared) {
    if (requested === lastStatements) return lastPlanned!;
    const known = PLANNED_COMMANDS.get(requested);
    if (known !== undefined) return rememberPlanned(requested, known);
  }
  let statements = requested;
  for (let i = 0; i < statements.length; i++) {
    if (textFacts(statements[i]!.text).mentionsBlock) {
      statements = joinCompoundStatements(statements);
      break;
    }
  }
  const planned = new Array<PlannedStatement>(statements.length);
  let bindsNothing = !request.prepared && Object.isFrozen(requested);
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i]!;
    if (statement.parameters.length > 0) bindsNothing = false;
    planned[i] = planStatement(statement, request.prepared, typed);
  }
  if (!bindsNothing) return planned;
  const frozen = Object.freeze(planned);
  PLANNED_COMMANDS.set(requested, frozen);
  return rememberPlanned(requested, frozen);
}

function rememberPlanned(
  statements: readonly StatementRequest[],
  planned: readonly PlannedStatement[],
): readonly PlannedStatement[] {
  lastStatements = statements;
  lastPlanned = planned;
  return planned;
}

function planStatement(statement: StatementRequest, prepared: boolean, typed: MysqlTypedParameters): PlannedStatement {
  const parameters = statement.parameters;
  // A prepared command keeps using the server-side prepared statement even without values.
  if (parameters.length === 0 && !prepared) {
    let known = PLANNED_WITHOUT_VALUES.get(statement);
    if (known === undefined) {
      known = new PlannedText(statement.text, undefined, textFacts(statement.text).keyword);
      PLANNED_WITHOUT_VALUES.set(statement, known);
    }
    return known;
  }
  const values = new Array<unknown>(parameters.length);
  for (let i = 0; i < parameters.length; i++) values[i] = encodeMysqlParameter(parameters[i]!, typed);
  return new PlannedText(statement.text, values, textFacts(statement.text).keyword);
}

const PROCEDURE_NAME = /^(?:`(?:[^`]|``)+`|[\p{L}\p{N}_$]+)(?:\.(?:`(?:[^`]|``)+`|[\p{L}\p{N}_$]+))?$/u;

/**
 * `CALL name(?, @out, …)`: Input parameters are bound values; Output and InputOutput parameters go through user
 * variables (set first for InputOutput) and are read back with one SELECT after the CALL, as MySqlConnector does.
 * ReturnValue parameters have nothing to receive (procedures return no value) and read as null.
 */
function planProcedureCall(request: CommandRequest, typed: MysqlTypedParameters): PlannedStatement[] {
  const name = request.commandText.trim();
  if (!PROCEDURE_NAME.test(name)) {
    throw new ArgumentError(`'${name}' is not a valid stored procedure name.`, 'commandText');
  }
  const quoted = name
    .split(/\.(?=(?:[^`]*`[^`]*`)*[^`]*$)/)
    .map((part) => (part.startsWith('`') ? part : quoteIdentifier(part)))
    .join('.');
  const markers: string[] = [];
  const callValues: unknown[] = [];
  const setParts: string[] = [];
  const setValues: unknown[] = [];
  const outputs: Array<{ readonly variable: string; readonly name: string }> = [];
  request.parameters.forEach((parameter: BoundParameter, index) => {
    if (parameter.direction === ParameterDirection.ReturnValue) return;
    if (parameter.direction === ParameterDirection.Input) {
      markers.push('?');
      callValues.push(encodeMysqlParameter(parameter, typed));
      return;
    }
    const variable = `@asyncdb_p${index}`;
    markers.push(variable);
    outputs.push({ variable, name: parameter.name });
    if (parameter.direction === ParameterDirection.InputOutput) {
      setParts.push(`${variable} = ?`);
      setValues.push(encodeMysqlParameter(parameter, typed));
    }
  });
  const plan: PlannedStatement[] = [];
  if (setParts.length > 0) plan.push({ text: `SET ${setParts.join(', ')}`, values: setValues, keyword: 'SET' });
  plan.push({ text: `CALL ${quoted}(${markers.join(', ')})`, values: callValues, keyword: 'CALL' });
  if (outputs.length > 0) {
    plan.push({
      text: `SELECT ${outputs.map((output) => output.variable).join(', ')}`,
      values: undefined,
      keyword: 'SELECT',
      outputNames: outputs.map((output) => output.name),
    });
  }
  return plan;
}
