import type { EngineEvent, TdsValue } from '../engine-types.js';
import type { ColumnDescriber } from '../pg/pg-runner.js';
import { tdsValueFor } from '../pg/pg-value-map.js';
import type { Variable } from '../session/scope.js';
import { translateExpression, translateStatement } from '../translate/translator.js';
import type {
  DeclareStatement,
  IfStatement,
  SelectAssignStatement,
  SetVariableStatement,
  SqlStatement,
  SqlVerb,
  Statement,
  TransactionStatement,
  TryCatchStatement,
  WhileStatement,
} from '../tsql/ast.js';
import type { Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { isStringType, parseSqlType } from '../tsql/type-names.js';
import { tokenize } from '../tsql/tokenizer.js';
import { condition, evaluate } from './evaluate.js';
import { execDynamic, execProcedure, createProcedure, dropProcedure } from './exec-procedures.js';
import { kill, print, raiserror, throwError, waitfor } from './exec-messages.js';
import { StatementFailure, toFailure } from './failure.js';
import type { Execution, Flow, Frame } from './frame.js';
import { ParamBinder } from './param-binder.js';
import type { SessionHost } from './session-host.js';
import { setOption } from './set-options.js';

const COUNTED: readonly SqlVerb[] = ['select', 'insert', 'update', 'delete', 'merge'];
const INT_TYPE = parseSqlType(tokenize('int'), 0).type;

/** The SQL that makes `SCOPE_IDENTITY()` answer NULL, not an error, before the session generated any value. */
const SCOPE_IDENTITY_FUNCTION = `CREATE OR REPLACE FUNCTION pg_temp.tds_scope_identity() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN RETURN lastval(); EXCEPTION WHEN object_not_in_prerequisite_state THEN RETURN NULL; END $$`;

/**
 * Executes parsed T-SQL: statements that are SQL go to PostgreSQL (translated, variables bound as
 * parameters, results streamed), the rest (variables, control flow, transactions, messages, procedures)
 * run here. Yields the events of the request in order.
 */
export class Interpreter {
  constructor(readonly host: SessionHost) {}

  /**
   * Runs statements in order. A failing statement yields its ERROR (then DONE with the error bit) and
   * ends the batch, unless it is one SQL Server continues after (RAISERROR) or a TRY block catches it.
   */
  async *runStatements(statements: readonly Statement[], frame: Frame): Execution {
    for (const statement of statements) {
      let flow: Flow;
      try {
        flow = yield* this.statement(statement, frame);
        if (statement.kind !== 'if' && statement.kind !== 'while' && statement.kind !== 'block' && statement.kind !== 'tryCatch') {
          this.host.state.lastError = 0;
        }
      } catch (error) {
        const failure = await toFailure(error, this.host, frame, statement.line, statement.kind === 'sql' ? statement.verb : 'other');
        this.host.state.lastError = failure.tdsMessage.number;
        if (frame.tryDepth > 0) throw failure;
        yield* failure.events;
        yield { kind: 'message', message: failure.tdsMessage };
        if (failure.continues) continue;
        yield { kind: 'done', rowCount: null, error: true };
        return 'abort';
      }
      yield* this.notices(frame, statement.line);
      if (flow !== 'next') return flow;
    }
    return 'next';
  }

  /** PostgreSQL warnings raised by the statement, as INFO messages. */
  private *notices(frame: Frame, line: number): Generator<EngineEvent> {
    const notices = this.host.runner.notices.splice(0);
    for (const message of notices) {
      yield { kind: 'message', message: { number: 50000, state: 1, severity: 10, message, lineNumber: line, ...(frame.procName ? { procName: frame.procName } : {}) } };
    }
  }

  private async *statement(statement: Statement, frame: Frame): Execution {
    this.host.runner.checkAborted();
    switch (statement.kind) {
      case 'sql':
        return yield* this.sql(statement, frame);
      case 'selectAssign':
        return yield* this.selectAssign(statement, frame);
      case 'declare':
        await this.declare(statement, frame);
        return 'next';
      case 'setVariable':
        await this.setVariable(statement, frame);
        return 'next';
      case 'setOption':
        await setOption(this.host, frame, statement);
        return 'next';
      case 'setIsolation':
        this.host.state.isolation = statement.level;
        return 'next';
      case 'print':
        yield await print(this.host, frame, statement);
        return 'next';
      case 'raiserror':
        yield* await raiserror(this.host, frame, statement);
        return 'next';
      case 'throw':
        return await throwError(this.host, frame, statement);
      case 'if':
        return yield* this.ifStatement(statement, frame);
      case 'while':
        return yield* this.whileStatement(statement, frame);
      case 'block':
        return yield* this.runStatements(statement.body, frame);
      case 'tryCatch':
        return yield* this.tryCatch(statement, frame);
      case 'break':
      case 'continue':
        return statement.kind;
      case 'return':
        frame.returnValue = statement.expression === undefined ? 0 : Number(await evaluate(this.host, frame, statement.expression, INT_TYPE));
        return 'return';
      case 'transaction':
        yield* await this.transaction(statement, frame);
        return 'next';
      case 'waitfor':
        await waitfor(this.host, frame, statement);
        return 'next';
      case 'exec':
        return yield* execProcedure(this, statement, frame);
      case 'execDynamic':
        return yield* execDynamic(this, statement, frame);
      case 'createProcedure':
        createProcedure(this.host, statement);
        yield { kind: 'done', rowCount: null };
        return 'next';
      case 'dropProcedure':
        dropProcedure(this.host, statement);
        yield { kind: 'done', rowCount: null };
        return 'next';
      case 'use':
        yield* await this.host.useDatabase(statement.database);
        return 'next';
      case 'kill':
        await kill(this.host, frame, statement);
        return 'next';
    }
  }

  private async *sql(statement: SqlStatement, frame: Frame): Execution {
    const binder = new ParamBinder(this.host, frame);
    const translation = translateStatement(statement.tokens, binder);
    if (translation.usesScopeIdentity) await this.host.runner.command(SCOPE_IDENTITY_FUNCTION);
    const tables = this.host.tables;
    const describe: ColumnDescriber = (field, index) => tables.column(field.tableID, field.columnID) ?? translation.resultTypes?.[index];
    const summary = yield* this.host.runner.stream(translation.text, binder.values, describe);
    if (translation.declaredColumns !== undefined) await tables.register(this.host.runner, translation.declaredColumns);
    const state = this.host.state;
    state.rowCount = summary.rowCount ?? 0;
    const counted = summary.hasResultSet || COUNTED.includes(statement.verb);
    yield { kind: 'done', rowCount: state.nocount || !counted ? null : (summary.rowCount ?? 0) };
    return 'next';
  }

  /** `SELECT @a = x, @b = y FROM …`: the last row's values win; no result set, as in SQL Server. */
  private async *selectAssign(statement: SelectAssignStatement, frame: Frame): Execution {
    const binder = new ParamBinder(this.host, frame);
    const targets: Variable[] = [];
    const items = statement.assignments.map((assignment) => {
      const target = this.variable(frame, assignment.variable, statement.line);
      targets.push(target);
      const value = translateExpression(assignment.expression, binder).text;
      return `CAST((${this.combine(binder, target, assignment.operator, value)}) AS ${target.type.pg})`;
    });
    let text = `SELECT ${items.join(', ')} ${translateExpression(statement.tail, binder).text}`;
    if (statement.top !== undefined) text += ` LIMIT (${translateExpression(statement.top, binder).text})`;
    let last: readonly TdsValue[] | undefined;
    let count = 0;
    for await (const event of this.host.runner.stream(text, binder.values)) {
      if (event.kind === 'row') {
        last = event.values;
        count++;
      }
    }
    if (last !== undefined) targets.forEach((target, i) => (target.value = last[i] ?? null));
    this.host.state.rowCount = count;
    return 'next';
  }

  /** `@v op value` for compound assignment (`+=` concatenates strings). */
  private combine(binder: ParamBinder, target: Variable, operator: string, value: string): string {
    if (operator === '=') return value;
    const op = operator[0] === '+' && isStringType(target.type.tds) ? '||' : operator[0] === '^' ? '#' : operator[0];
    return `${binder.variable(target.name, 0)} ${op} (${value})`;
  }

  /** A declared variable; 137 otherwise. */
  variable(frame: Frame, name: string, line: number): Variable {
    const variable = frame.scope.get(name);
    if (variable === undefined) throw new TsqlError(137, `Must declare the scalar variable "${name}".`, line);
    return variable;
  }

  private async declare(statement: DeclareStatement, frame: Frame): Promise<void> {
    for (const declaration of statement.variables) {
      if (!frame.scope.declare(declaration.name, declaration.type)) {
        throw new TsqlError(134, `The variable name '${declaration.name}' has already been declared. Variable names must be unique within a query batch or stored procedure.`, statement.line);
      }
      if (declaration.initial !== undefined) {
        (frame.scope.get(declaration.name) as Variable).value = await evaluate(this.host, frame, declaration.initial, declaration.type);
      }
    }
  }

  private async setVariable(statement: SetVariableStatement, frame: Frame): Promise<void> {
    const target = this.variable(frame, statement.name, statement.line);
    if (statement.operator === '=') {
      target.value = await evaluate(this.host, frame, statement.expression, target.type);
      return;
    }
    const binder = new ParamBinder(this.host, frame);
    const value = translateExpression(statement.expression, binder).text;
    const result = await this.host.runner.query(`SELECT CAST((${this.combine(binder, target, statement.operator, value)}) AS ${target.type.pg})`, binder.values);
    target.value = tdsValueFor(target.type.tds, result.rows[0]?.[0] ?? null);
  }

  private async *ifStatement(statement: IfStatement, frame: Frame): Execution {
    if (await condition(this.host, frame, statement.condition)) return yield* this.runStatements([statement.then], frame);
    if (statement.otherwise !== undefined) return yield* this.runStatements([statement.otherwise], frame);
    return 'next';
  }

  private async *whileStatement(statement: WhileStatement, frame: Frame): Execution {
    while (await condition(this.host, frame, statement.condition)) {
      const flow = yield* this.runStatements([statement.body], frame);
      if (flow === 'break') break;
      if (flow === 'return' || flow === 'abort') return flow;
    }
    return 'next';
  }

  /** BEGIN TRY … END TRY BEGIN CATCH … END CATCH: an error (severity > 10) in the body runs the handler. */
  private async *tryCatch(statement: TryCatchStatement, frame: Frame): Execution {
    let failure: StatementFailure | undefined;
    frame.tryDepth++;
    try {
      const flow = yield* this.runStatements(statement.body, frame);
      if (flow !== 'next') return flow;
    } catch (error) {
      if (!(error instanceof StatementFailure)) throw error;
      failure = error;
    } finally {
      frame.tryDepth--;
    }
    if (failure === undefined) return 'next';
    yield* failure.events;
    const saved = frame.caught;
    frame.caught = failure.tdsMessage;
    try {
      return yield* this.runStatements(statement.handler, frame);
    } finally {
      frame.caught = saved;
    }
  }

  private async transaction(statement: TransactionStatement, frame: Frame): Promise<readonly EngineEvent[]> {
    const name = statement.name === undefined ? undefined : await this.nameOf(statement.name, frame);
    const transactions = this.host.transactions;
    switch (statement.action) {
      case 'begin':
        return transactions.begin(this.host.state.isolation, name);
      case 'commit':
        return transactions.commit();
      case 'rollback':
        return transactions.rollback(name);
      case 'save':
        return transactions.save(name ?? '');
    }
  }

  /** A transaction or savepoint name: an identifier, or a variable holding it. */
  private async nameOf(token: Token, frame: Frame): Promise<string> {
    if (token.kind !== 'variable') return token.value;
    return String(this.variable(frame, token.value, token.line).value ?? '');
  }
}

