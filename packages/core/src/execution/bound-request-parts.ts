import type { DbType } from '../contracts/db-type.js';
import type { ParameterDirection } from '../contracts/parameter-direction.js';
import type { BoundParameter, StatementRequest } from '../providers/provider-spi.js';

/*
 * The per-execution parts of a command request, as classes rather than object literals: they live for the whole round
 * trip, and V8 allocates an object literal's site straight into the old generation once many of its objects survive a
 * scavenge together (allocation-site pretenuring; a burst of 100 callers does that). A pretenured object that dies still
 * keeps what it references alive until the next full collection, so one such site promotes the whole request.
 */

/** A parameter's value and metadata, snapshotted when the command starts. @internal */
export class BoundParameterValue implements BoundParameter {
  constructor(
    readonly name: string,
    readonly value: unknown,
    readonly dbType: DbType,
    readonly dbTypeExplicit: boolean,
    readonly direction: ParameterDirection,
    readonly size: number,
    readonly precision: number,
    readonly scale: number,
  ) {}
}

/** One statement of an execution and the values its markers bind. @internal */
export class BoundStatement implements StatementRequest {
  constructor(
    readonly text: string,
    readonly parameters: readonly BoundParameter[],
  ) {}
}
