import type { ExecutionScope } from './execution-scope.js';

/**
 * The executions a connection tracks (so that `close()` and a lost session abort them): nearly always none or one,
 * so the one lives in a field and a `Set` is made only for a second. A `Set` that gains and loses one member per
 * command allocated a new hash table on most of those add/delete pairs.
 * @internal
 */
export class ScopeSet {
  #sole: ExecutionScope | undefined = undefined;
  #more: Set<ExecutionScope> | undefined = undefined;

  /** Tracked executions. */
  get size(): number {
    return (this.#sole === undefined ? 0 : 1) + (this.#more?.size ?? 0);
  }

  add(scope: ExecutionScope): void {
    if (this.#sole === scope || this.#more?.has(scope)) return;
    if (this.#sole === undefined) this.#sole = scope;
    else (this.#more ??= new Set()).add(scope);
  }

  delete(scope: ExecutionScope): void {
    if (this.#sole === scope) this.#sole = undefined;
    else this.#more?.delete(scope);
  }

  /** A snapshot of the tracked executions (safe to iterate while they untrack themselves). */
  toArray(): ExecutionScope[] {
    const scopes = this.#more === undefined ? [] : [...this.#more];
    if (this.#sole !== undefined) scopes.unshift(this.#sole);
    return scopes;
  }

  clear(): void {
    this.#sole = undefined;
    this.#more = undefined;
  }
}
