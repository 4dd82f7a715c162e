import type { PgFieldDescription, PgWireConnection, PgWireValue } from '../pg-client.js';
import type { PgEntryPlacement, PgPipelineEntry } from './pg-pipeline-entry.js';
import type { PgMuxRoute } from './pg-mux-route.js';
import { isQueryCanceled, pgMultiplexingStats } from './pg-mux-statements.js';

/**
 * A catalog lookup of the provider's own (a type's name and parser) as a pipeline entry: rows as the server's text.
 * Sent again when a CancelRequest meant for another entry hit it.
 * @internal
 */
class PgMuxTextQuery implements PgPipelineEntry {
  readonly executes = 1;
  placement: PgEntryPlacement | undefined;
  readonly #sql: string;
  readonly #values: PgWireValue[];
  readonly #route: PgMuxRoute;
  #rows: Array<Array<string | null>> = Array();
  #failure: Error | undefined;
  readonly #resolve: (rows: Array<Array<string | null>>) => void;
  readonly #reject: (error: unknown) => void;

  constructor(
    sql: string,
    values: PgWireValue[],
    route: PgMuxRoute,
    resolve: (rows: Array<Array<string | null>>) => void,
    reject: (error: unknown) => void,
  ) {
    this.#sql = sql;
    this.#values = values;
    this.#route = route;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  write(wire: PgWireConnection): void {
    wire.parse({ text: this.#sql });
    wire.bind({ values: this.#values });
    wire.execute({});
    wire.sync();
  }

  onRowDescription(_fields: PgFieldDescription[]): void {}
  onNoData(): void {}
  onDataRow(values: Array<string | null>): void {
    this.#rows.push([...values]);
  }
  onCommandComplete(): void {}
  onEmptyQuery(): void {}
  onError(error: Error): void {
    this.#failure ??= error;
  }
  onReady(atRisk: boolean): void {
    if (this.#failure && atRisk && isQueryCanceled(this.#failure)) {
      pgMultiplexingStats.strayCancelRetries += 1;
      this.#failure = undefined;
      this.#rows = [];
      this.#route.submit(this);
      return;
    }
    if (this.#failure) this.#reject(this.#failure);
    else this.#resolve(this.#rows);
  }
  onLost(error: Error): void {
    this.#reject(error);
  }
}

/** Runs `sql` through `route` and resolves its rows as text. */
export function muxTextRows(
  route: PgMuxRoute,
  sql: string,
  values: PgWireValue[],
): Promise<Array<Array<string | null>>> {
  return new Promise((resolve, reject) => route.submit(new PgMuxTextQuery(sql, values, route, resolve, reject)));
}
