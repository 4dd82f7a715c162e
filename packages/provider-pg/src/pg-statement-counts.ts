import { affectedRowsOfTag } from './pg-command-tag.js';

/**
 * The counts a cursor reports: `recordsAffected` (-1 until a DML statement completes, then the sum) and each
 * statement's own count by index (-1 when not DML), what a `DbBatch` reports per command. Shared by the cursor of a
 * session and the multiplexed cursor, so both count a CommandComplete the same way.
 * @internal
 */
export class PgStatementCounts {
  /** The sum of the DML counts so far; -1 while no statement reported one (ADO.NET's `RecordsAffected`). */
  recordsAffected = -1;
  /** Each completed statement's count (-1 when not DML), by statement index. */
  readonly byStatement: number[] = Array();

  /** Statement `index` completed with the CommandComplete `tag` (`INSERT 0 3`, `SELECT 2`…). */
  complete(index: number, tag: string): void {
    const affected = affectedRowsOfTag(tag);
    if (affected !== undefined) this.recordsAffected = Math.max(this.recordsAffected, 0) + affected;
    this.byStatement[index] = affected ?? -1;
  }

  /** Statement `index` ended without a count (an empty query, a suspended or closed portal). */
  uncounted(index: number): void {
    this.byStatement[index] = -1;
  }
}
