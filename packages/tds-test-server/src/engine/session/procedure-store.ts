import type { CreateProcedureStatement } from '../tsql/ast.js';

/**
 * The stored procedures created with CREATE PROCEDURE, kept in memory for the whole server (all sessions
 * see them, as they would in one SQL Server database). Bodies are stored parsed; the interpreter runs
 * them, sending each statement inside to PostgreSQL.
 */
export class ProcedureStore {
  readonly #procedures = new Map<string, CreateProcedureStatement>();

  /** By normalised name (lower case, no schema). */
  get(name: string): CreateProcedureStatement | undefined {
    return this.#procedures.get(name);
  }

  has(name: string): boolean {
    return this.#procedures.has(name);
  }

  set(procedure: CreateProcedureStatement): void {
    this.#procedures.set(procedure.name, procedure);
  }

  delete(name: string): boolean {
    return this.#procedures.delete(name);
  }
}
