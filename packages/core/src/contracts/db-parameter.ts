import type { DbType } from './db-type.js';
import { ParameterDirection } from './parameter-direction.js';
import { inferDbType } from '../values/infer-db-type.js';
import { ArgumentError } from '../errors/errors.js';

/** Initial values for a {@link DbParameter}. */
export interface DbParameterInit {
  readonly parameterName?: string;
  readonly value?: unknown;
  readonly dbType?: DbType;
  readonly direction?: ParameterDirection;
  readonly size?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly isNullable?: boolean;
  readonly sourceColumn?: string;
}

/**
 * A named value bound to a command. Mirrors `System.Data.Common.DbParameter`.
 *
 * `value` is `undefined` until set (executing then fails with a clear error); `null` is SQL NULL.
 * `dbType` is inferred from the value until set explicitly; `resetDbType()` goes back to inferring.
 */
export class DbParameter {
  #parameterName = '';
  #sourceColumn = '';
  #dbType: DbType | undefined;
  #direction: ParameterDirection = ParameterDirection.Input;
  #size = 0;
  #precision = 0;
  #scale = 0;
  /** The value to send; `null` for SQL NULL. For output parameters, the value the server returned. */
  value: unknown = undefined;
  /** Whether the parameter accepts NULL (informational, as in ADO.NET). Defaults to false. */
  isNullable = false;

  constructor(init: DbParameterInit = {}) {
    if (init.parameterName !== undefined) this.parameterName = init.parameterName;
    if ('value' in init) this.value = init.value;
    if (init.dbType !== undefined) this.dbType = init.dbType;
    if (init.direction !== undefined) this.direction = init.direction;
    if (init.size !== undefined) this.size = init.size;
    if (init.precision !== undefined) this.precision = init.precision;
    if (init.scale !== undefined) this.scale = init.scale;
    if (init.isNullable !== undefined) this.isNullable = init.isNullable;
    if (init.sourceColumn !== undefined) this.sourceColumn = init.sourceColumn;
  }

  /** The name as written, with or without the leading '@'. `null` is coerced to ''. */
  get parameterName(): string {
    return this.#parameterName;
  }
  set parameterName(name: string | null | undefined) {
    this.#parameterName = name ?? '';
  }

  /** The column a data adapter would map (kept for ADO.NET parity). `null` is coerced to ''. */
  get sourceColumn(): string {
    return this.#sourceColumn;
  }
  set sourceColumn(name: string | null | undefined) {
    this.#sourceColumn = name ?? '';
  }

  /** The explicit DbType, or the one inferred from `value`. */
  get dbType(): DbType {
    return this.#dbType ?? inferDbType(this.value);
  }
  set dbType(type: DbType) {
    this.#dbType = type;
  }

  /** True when `dbType` was set explicitly rather than inferred. */
  get isDbTypeExplicit(): boolean {
    return this.#dbType !== undefined;
  }

  /** Forgets an explicit DbType so it is inferred from the value again. Mirrors `DbParameter.ResetDbType`. */
  resetDbType(): void {
    this.#dbType = undefined;
  }

  /** Input (default), Output, InputOutput or ReturnValue. */
  get direction(): ParameterDirection {
    return this.#direction;
  }
  set direction(direction: ParameterDirection) {
    if (!Object.values(ParameterDirection).includes(direction)) {
      throw new ArgumentError(`The ParameterDirection value '${String(direction)}' is invalid.`, 'direction');
    }
    this.#direction = direction;
  }

  /** Maximum size in characters or bytes (0 = provider default). */
  get size(): number {
    return this.#size;
  }
  set size(size: number) {
    this.#size = nonNegativeInteger(size, 'size');
  }

  /** Decimal precision (0 = provider default). */
  get precision(): number {
    return this.#precision;
  }
  set precision(precision: number) {
    this.#precision = nonNegativeInteger(precision, 'precision');
  }

  /** Decimal scale (0 = provider default). */
  get scale(): number {
    return this.#scale;
  }
  set scale(scale: number) {
    this.#scale = nonNegativeInteger(scale, 'scale');
  }

  /** The name without its leading '@' (or ':' / '$'), as the SQL text references it. */
  get normalizedName(): string {
    return normalizeParameterName(this.#parameterName);
  }
}

/** Strips one leading marker character ('@', ':' or '$') from a parameter name. */
export function normalizeParameterName(name: string): string {
  const first = name.charAt(0);
  return first === '@' || first === ':' || first === '$' ? name.slice(1) : name;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new ArgumentError(`'${name}' must be a non-negative integer; got ${value}.`, name);
  return value;
}
