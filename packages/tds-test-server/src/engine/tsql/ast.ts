import type { TdsIsolationLevel } from '../engine-types.js';
import type { Token } from './tokenizer.js';
import type { SqlType } from './type-names.js';

/** A run of tokens forming an expression, translated to PostgreSQL when it is evaluated. */
export type Expression = readonly Token[];

/** What a statement that PostgreSQL runs does, for row counts and error wording. */
export type SqlVerb = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'create' | 'alter' | 'drop' | 'truncate' | 'other';

interface Located {
  /** 1-based line of the statement's first token in its batch or procedure. */
  readonly line: number;
}

/** A statement passed to PostgreSQL after translation (SELECT, DML, DDL). */
export interface SqlStatement extends Located {
  readonly kind: 'sql';
  readonly verb: SqlVerb;
  readonly tokens: readonly Token[];
}

/** `SELECT @a = expr, @b += expr [FROM …]`: assigns variables from the last row, returns no result set. */
export interface SelectAssignStatement extends Located {
  readonly kind: 'selectAssign';
  readonly assignments: readonly { readonly variable: string; readonly operator: string; readonly expression: Expression }[];
  /** FROM/WHERE/GROUP BY/ORDER BY… after the select list (may be empty). */
  readonly tail: readonly Token[];
  /** `SELECT TOP (n) @v = …`. */
  readonly top?: Expression;
}

/** One variable of a DECLARE. */
export interface VariableDeclaration {
  readonly name: string;
  readonly type: SqlType;
  readonly initial?: Expression;
}

/** `DECLARE @a INT = 1, @b NVARCHAR(10)`. */
export interface DeclareStatement extends Located {
  readonly kind: 'declare';
  readonly variables: readonly VariableDeclaration[];
}

/** `SET @v = expr` (or `+=`, `-=`…). */
export interface SetVariableStatement extends Located {
  readonly kind: 'setVariable';
  readonly name: string;
  readonly operator: string;
  readonly expression: Expression;
}

/** `SET NOCOUNT ON`, `SET XACT_ABORT OFF`, `SET LOCK_TIMEOUT 1000`, `SET IDENTITY_INSERT t ON`… */
export interface SetOptionStatement extends Located {
  readonly kind: 'setOption';
  /** Upper-case option names (several for `SET ANSI_NULLS, QUOTED_IDENTIFIER ON`). */
  readonly options: readonly string[];
  /** The value as written, upper-cased (`ON`, `OFF`, `1000`, `US_ENGLISH`). */
  readonly value: string;
  /** The tokens after the option names (`dbo.t ON` for IDENTITY_INSERT). */
  readonly valueTokens: readonly Token[];
}

/** `SET TRANSACTION ISOLATION LEVEL …`. */
export interface SetIsolationStatement extends Located {
  readonly kind: 'setIsolation';
  readonly level: TdsIsolationLevel;
}

/** `PRINT expr`. */
export interface PrintStatement extends Located {
  readonly kind: 'print';
  readonly expression: Expression;
}

/** `RAISERROR (msg, severity, state [, args…]) [WITH …]`. */
export interface RaiserrorStatement extends Located {
  readonly kind: 'raiserror';
  readonly args: readonly Expression[];
}

/** `THROW number, message, state` (or a bare `THROW` that rethrows inside CATCH). */
export interface ThrowStatement extends Located {
  readonly kind: 'throw';
  readonly args: readonly Expression[];
}

/** `IF condition statement [ELSE statement]`. */
export interface IfStatement extends Located {
  readonly kind: 'if';
  readonly condition: Expression;
  readonly then: Statement;
  readonly otherwise?: Statement;
}

/** `WHILE condition statement`. */
export interface WhileStatement extends Located {
  readonly kind: 'while';
  readonly condition: Expression;
  readonly body: Statement;
}

/** `BEGIN … END`. */
export interface BlockStatement extends Located {
  readonly kind: 'block';
  readonly body: readonly Statement[];
}

/** `BEGIN TRY … END TRY BEGIN CATCH … END CATCH`. */
export interface TryCatchStatement extends Located {
  readonly kind: 'tryCatch';
  readonly body: readonly Statement[];
  readonly handler: readonly Statement[];
}

/** `BREAK` / `CONTINUE`. */
export interface LoopControlStatement extends Located {
  readonly kind: 'break' | 'continue';
}

/** `RETURN [expr]`. */
export interface ReturnStatement extends Located {
  readonly kind: 'return';
  readonly expression?: Expression;
}

/** `BEGIN TRAN [name]`, `COMMIT [TRAN] [name]`, `ROLLBACK [TRAN] [name]`, `SAVE TRAN name`. */
export interface TransactionStatement extends Located {
  readonly kind: 'transaction';
  readonly action: 'begin' | 'commit' | 'rollback' | 'save';
  readonly name?: Token;
}

/** `WAITFOR DELAY 'hh:mm:ss[.fff]'` or `WAITFOR TIME '…'`. */
export interface WaitforStatement extends Located {
  readonly kind: 'waitfor';
  readonly mode: 'delay' | 'time';
  readonly expression: Expression;
}

/** One argument of EXEC: `[@name =] value [OUTPUT]`. */
export interface ExecArgument {
  readonly name?: string;
  readonly value: Expression;
  readonly output: boolean;
}

/** `EXEC [@rc =] procedure args…`. */
export interface ExecStatement extends Located {
  readonly kind: 'exec';
  /** The procedure's name, normalised for look-up. */
  readonly procedure: string;
  /** The procedure's name as written (its last part), for messages. */
  readonly displayName: string;
  readonly returnVariable?: string;
  readonly args: readonly ExecArgument[];
}

/** `EXEC (expr)`: dynamic SQL run as a batch. */
export interface ExecDynamicStatement extends Located {
  readonly kind: 'execDynamic';
  readonly expression: Expression;
}

/** One parameter of CREATE PROCEDURE. */
export interface ProcedureParameter {
  readonly name: string;
  readonly type: SqlType;
  readonly default?: Expression;
  readonly output: boolean;
}

/** `CREATE [OR ALTER] | ALTER PROCEDURE name params AS body`. */
export interface CreateProcedureStatement extends Located {
  readonly kind: 'createProcedure';
  readonly mode: 'create' | 'alter' | 'createOrAlter';
  /** Normalised name (lower case, without `dbo.` or brackets). */
  readonly name: string;
  /** The name as written (without schema), for messages. */
  readonly displayName: string;
  readonly parameters: readonly ProcedureParameter[];
  readonly body: readonly Statement[];
}

/** `DROP PROCEDURE [IF EXISTS] a, b`. */
export interface DropProcedureStatement extends Located {
  readonly kind: 'dropProcedure';
  readonly names: readonly string[];
  readonly ifExists: boolean;
}

/** `KILL session_id`. */
export interface KillStatement extends Located {
  readonly kind: 'kill';
  readonly expression: Expression;
}

/** `USE database`. */
export interface UseStatement extends Located {
  readonly kind: 'use';
  readonly database: string;
}

/** Any parsed T-SQL statement. */
export type Statement =
  | SqlStatement
  | SelectAssignStatement
  | DeclareStatement
  | SetVariableStatement
  | SetOptionStatement
  | SetIsolationStatement
  | PrintStatement
  | RaiserrorStatement
  | ThrowStatement
  | IfStatement
  | WhileStatement
  | BlockStatement
  | TryCatchStatement
  | LoopControlStatement
  | ReturnStatement
  | TransactionStatement
  | WaitforStatement
  | ExecStatement
  | ExecDynamicStatement
  | CreateProcedureStatement
  | DropProcedureStatement
  | KillStatement
  | UseStatement;
