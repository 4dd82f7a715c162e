import { DbParameter, normalizeParameterName } from './db-parameter.js';
import { ArgumentError, IndexOutOfRangeError } from '../errors/errors.js';

/**
 * The parameters of a command. Mirrors `DbParameterCollection`. Names are matched without their leading '@',
 * exactly first and then case-insensitively; two parameters with the same name are refused.
 */
export class DbParameterCollection implements Iterable<DbParameter> {
  // Array(), not a literal: a literal array is an allocation site V8 may pretenure (docs/benchmarks.md).
  readonly #items: DbParameter[] = Array();
  readonly #createParameter: () => DbParameter;

  /** @param createParameter makes the provider's parameter type for {@link addWithValue}. */
  constructor(createParameter: () => DbParameter = () => new DbParameter()) {
    this.#createParameter = createParameter;
  }

  /** The number of parameters. */
  get count(): number {
    return this.#items.length;
  }

  /** Adds a parameter and returns it. */
  add(parameter: DbParameter): DbParameter {
    this.#checkNew(parameter);
    this.#items.push(parameter);
    return parameter;
  }

  /** Creates, adds and returns an input parameter. Mirrors `SqlParameterCollection.AddWithValue`. */
  addWithValue(parameterName: string, value: unknown): DbParameter {
    const parameter = this.#createParameter();
    parameter.parameterName = parameterName;
    parameter.value = value;
    return this.add(parameter);
  }

  /** Adds several parameters. */
  addRange(parameters: Iterable<DbParameter>): void {
    for (const parameter of parameters) this.add(parameter);
  }

  /** Inserts a parameter at an index (0…count). */
  insert(index: number, parameter: DbParameter): void {
    if (!Number.isInteger(index) || index < 0 || index > this.#items.length) {
      throw new IndexOutOfRangeError(`Index ${index} is out of range (0…${this.#items.length}).`, 'index');
    }
    this.#checkNew(parameter);
    this.#items.splice(index, 0, parameter);
  }

  /** The parameter at an index or with a name; throws IndexOutOfRangeError when there is none. */
  get(indexOrName: number | string): DbParameter {
    const index = typeof indexOrName === 'number' ? indexOrName : this.indexOf(indexOrName);
    const parameter = this.#items[index];
    if (!parameter) {
      throw new IndexOutOfRangeError(
        typeof indexOrName === 'number'
          ? `Index ${indexOrName} is out of range (0…${this.#items.length - 1}).`
          : `A parameter named '${indexOrName}' is not in this collection.`,
      );
    }
    return parameter;
  }

  /** The parameter with a name, or undefined. */
  find(name: string): DbParameter | undefined {
    return this.#items[this.indexOf(name)];
  }

  /** The index of a parameter (by object or name), or -1. */
  indexOf(parameterOrName: DbParameter | string | null | undefined): number {
    if (parameterOrName === null || parameterOrName === undefined) return -1;
    if (typeof parameterOrName !== 'string') return this.#items.indexOf(parameterOrName);
    const wanted = normalizeParameterName(parameterOrName);
    const exact = this.#items.findIndex((item) => item.normalizedName === wanted);
    if (exact >= 0) return exact;
    const lower = wanted.toLowerCase();
    return this.#items.findIndex((item) => item.normalizedName.toLowerCase() === lower);
  }

  /** True when the collection holds the parameter (by object or name). */
  contains(parameterOrName: DbParameter | string | null | undefined): boolean {
    return this.indexOf(parameterOrName) >= 0;
  }

  /** Removes a parameter; throws ArgumentError when it is not in the collection. */
  remove(parameter: DbParameter): void {
    if (!(parameter instanceof DbParameter))
      throw new ArgumentError('The parameter must be a DbParameter.', 'parameter');
    const index = this.#items.indexOf(parameter);
    if (index < 0) throw new ArgumentError('The parameter is not in this collection.', 'parameter');
    this.#items.splice(index, 1);
  }

  /** Removes the parameter at an index or with a name. */
  removeAt(indexOrName: number | string): void {
    const index = typeof indexOrName === 'number' ? indexOrName : this.indexOf(indexOrName);
    if (!Number.isInteger(index) || index < 0 || index >= this.#items.length) {
      throw new IndexOutOfRangeError(`There is no parameter at ${JSON.stringify(indexOrName)}.`);
    }
    this.#items.splice(index, 1);
  }

  /** Removes every parameter. */
  clear(): void {
    this.#items.length = 0;
  }

  /** The parameters, in order. */
  toArray(): DbParameter[] {
    return [...this.#items];
  }

  [Symbol.iterator](): Iterator<DbParameter> {
    return this.#items[Symbol.iterator]();
  }

  #checkNew(parameter: DbParameter): void {
    if (!(parameter instanceof DbParameter))
      throw new ArgumentError('The parameter must be a DbParameter.', 'parameter');
    if (this.#items.includes(parameter))
      throw new ArgumentError('The parameter is already in this collection.', 'parameter');
    const name = parameter.normalizedName;
    if (name !== '' && this.#items.some((item) => item.normalizedName.toLowerCase() === name.toLowerCase())) {
      throw new ArgumentError(
        `A parameter named '${parameter.parameterName}' is already in this collection.`,
        'parameter',
      );
    }
  }
}
