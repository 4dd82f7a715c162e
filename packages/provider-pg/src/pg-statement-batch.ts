import type { BoundParameter, StatementRequest } from '@asyncdb/core';
import type { PgWireConnection, PgWireValue } from './pg-client.js';
import { writeDeferredReset } from './pg-deferred-reset.js';
import { encodeParameterValue, parameterOid } from './pg-parameter-encoder.js';

/** Describe of the unnamed portal; `pg`'s serializer only reads its messages, so one object serves every write. */
const DESCRIBE_PORTAL = Object.freeze({ type: 'P' as const });
/** No parameters. */
const NONE: readonly never[] = Object.freeze([]);
/** Bind of a statement without parameters to the unnamed portal. */
const BIND_NO_VALUES = Object.freeze({});
/** Execute of the unnamed portal asking for every row. */
const EXECUTE_ALL = Object.freeze({});

/**
 * A command's statements as every path that sends a batch writes them — the one-shot execution, the session cursor,
 * the multiplexer: encoded once, before anything is sent (a value that cannot be encoded fails the command with
 * nothing written), then written as one group.
 *
 * The parameters of all statements are kept in two flat arrays (type OIDs for Parse, values for Bind): a lone
 * statement hands them to `pg` as they are, a command without parameters has none — no array per statement and no
 * object per parameter live across the round trip.
 * @internal
 */
export class PgStatementBatch {
  readonly statements: readonly StatementRequest[];
  /** Parse's type OIDs of every statement's parameters, one statement after the other; undefined when there are none. */
  readonly #types: number[] | undefined;
  /** Bind's values, in the same order. */
  readonly #values: PgWireValue[] | undefined;
  /** Where each statement's parameters start in those arrays; summed on first use ({@link PgStatementBatch.#offsetOf}). */
  #offsets: number[] | undefined;

  /** @throws when a value cannot be encoded (nothing has been sent). */
  constructor(statements: readonly StatementRequest[]) {
    this.statements = statements;
    // A lone statement's parameters are used as they are (no flattened copy).
    const parameters = statements.length === 1 ? statements[0]!.parameters : statements.flatMap(parametersOf);
    this.#types = parameters.length === 0 ? undefined : parameters.map(parameterOid);
    this.#values = parameters.length === 0 ? undefined : parameters.map(wireValue);
  }

  /**
   * True when the batch goes as one simple-protocol Query — one statement without parameters, nothing ahead of it,
   * every row at once: one message for the server to parse and run instead of five (a result without rows then has no
   * NoData, and the server ends it with ReadyForQuery without a Sync).
   */
  fitsSimpleQuery(reset: boolean, rows = 0, describeOnly = false): boolean {
    return !reset && rows === 0 && !describeOnly && this.statements.length === 1 && this.#types === undefined;
  }

  /**
   * Writes the whole batch as one group: a simple Query when {@link PgStatementBatch.fitsSimpleQuery}, else the owed
   * reset (when `reset`), Parse/Bind/Describe/Execute of every statement, and Sync.
   * @param rows what each Execute asks for (0 = every row; a limited Execute ends with PortalSuspended).
   * @param describeOnly describe without executing (SchemaOnly).
   */
  writeBatch(wire: PgWireConnection, reset: boolean, rows = 0, describeOnly = false): void {
    if (this.fitsSimpleQuery(reset, rows, describeOnly)) {
      wire.query(this.statements[0]!.text);
      return;
    }
    if (reset) writeDeferredReset(wire);
    let offset = 0;
    for (let index = 0; index < this.statements.length; index += 1) {
      offset = this.#writeStatement(wire, index, offset, rows, describeOnly);
    }
    wire.sync();
  }

  /**
   * Writes Parse/Bind/Describe and, unless `describeOnly`, Execute(`rows`) of one statement, on the unnamed portal,
   * without ending the group (the caller adds Flush or Sync).
   */
  writeStatement(wire: PgWireConnection, index: number, rows = 0, describeOnly = false): void {
    this.#writeStatement(wire, index, this.#offsetOf(index), rows, describeOnly);
  }

  /** Parse's type OIDs of statement `index` (for a lone statement, the batch's own array). */
  protected typesOf(index: number): readonly number[] {
    return this.#slice(this.#types, this.#offsetOf(index), this.statements[index]!.parameters.length);
  }

  /** Bind's values of statement `index` (for a lone statement, the batch's own array). */
  protected valuesOf(index: number): readonly PgWireValue[] {
    return this.#slice(this.#values, this.#offsetOf(index), this.statements[index]!.parameters.length);
  }

  /** Writes statement `index`, whose parameters start at `offset` in the flat arrays; returns where the next's start. */
  #writeStatement(wire: PgWireConnection, index: number, offset: number, rows: number, describeOnly: boolean): number {
    const statement = this.statements[index]!;
    const count = statement.parameters.length;
    if (count === 0) {
      wire.parse({ text: statement.text });
      wire.bind(BIND_NO_VALUES);
    } else {
      wire.parse({ text: statement.text, types: this.#slice(this.#types, offset, count) });
      wire.bind({ values: this.#slice(this.#values, offset, count) });
    }
    wire.describe(DESCRIBE_PORTAL);
    if (!describeOnly) wire.execute(rows === 0 ? EXECUTE_ALL : { rows });
    return offset + count;
  }

  /**
   * Where statement `index`'s parameters start in the flat arrays. The offsets are summed once, on first use (the
   * statement-by-statement path asks for every statement in turn: summing afresh each time was quadratic).
   */
  #offsetOf(index: number): number {
    if (index === 0) return 0;
    let offsets = this.#offsets;
    if (offsets === undefined) {
      const statements = this.statements;
      offsets = Array(statements.length);
      let offset = 0;
      for (let at = 0; at < statements.length; at += 1) {
        offsets[at] = offset;
        offset += statements[at]!.parameters.length;
      }
      this.#offsets = offsets;
    }
    return offsets[index]!;
  }

  /** One statement's part of a flat array: the array itself when that statement has every parameter of the batch. */
  #slice<T>(flat: readonly T[] | undefined, offset: number, count: number): readonly T[] {
    if (flat === undefined || count === 0) return NONE;
    return count === flat.length ? flat : flat.slice(offset, offset + count);
  }
}

function parametersOf(statement: StatementRequest): readonly BoundParameter[] {
  return statement.parameters;
}

function wireValue(parameter: BoundParameter): PgWireValue {
  return encodeParameterValue(parameter.value, parameter.dbType);
}
