import type { TdsValue } from '../engine-types.js';
import type { SqlType } from '../tsql/type-names.js';

/** A T-SQL local variable or parameter. */
export interface Variable {
  /** The name as declared, with '@'. */
  readonly name: string;
  readonly type: SqlType;
  value: TdsValue;
}

/**
 * The variables visible to a batch, a procedure or an sp_executesql statement. T-SQL variables are scoped
 * to their batch or module, case-insensitively, and never nest, so a scope is a flat map.
 */
export class Scope {
  readonly #variables = new Map<string, Variable>();

  get(name: string): Variable | undefined {
    return this.#variables.get(name.toLowerCase());
  }

  /** Declares `name`; returns false when it is already declared in this scope. */
  declare(name: string, type: SqlType, value: TdsValue = null): boolean {
    const key = name.toLowerCase();
    if (this.#variables.has(key)) return false;
    this.#variables.set(key, { name, type, value });
    return true;
  }
}
