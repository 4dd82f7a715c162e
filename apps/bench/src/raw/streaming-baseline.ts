import type { Endpoint } from '../servers/endpoint.js';

/**
 * Receives every row of a streaming run. Both sides hand it all five values, so neither can skip converting them.
 */
export class RowSink {
  count = 0;
  #idSum = 0;
  #labelLength = 0;
  #nulls = 0;

  /** Takes one row's five values. */
  add(id: unknown, qty: unknown, label: unknown, price: unknown, active: unknown): void {
    this.count += 1;
    this.#idSum = (this.#idSum + (id as number)) | 0;
    this.#labelLength += (label as string).length;
    if (qty === null || price === null || active === null) this.#nulls += 1;
  }

  /** A value depending on every row, so the work cannot be optimised away; also a sanity check of the data. */
  get checksum(): number {
    return this.#idSum ^ this.#labelLength ^ this.#nulls;
  }
}

/** An open connection, ready to read a query's rows into a sink (scenario 3). */
export interface StreamingRunner {
  run(sql: string, sink: RowSink): Promise<void>;
  close(): Promise<void>;
}

/** A raw driver's two baselines for scenario 3. */
export interface StreamingBaseline {
  /** The driver's streaming API (bounded memory): the baseline for rows/s. */
  readonly streamName: string;
  /** The driver's default, buffered query: the baseline for memory. */
  readonly bufferedName: string;
  openStream(endpoint: Endpoint): Promise<StreamingRunner>;
  openBuffered(endpoint: Endpoint): Promise<StreamingRunner>;
  /** Other clients' streaming APIs a user could pick instead (pg: postgres.js), measured in the same run. */
  readonly alternatives?: readonly AlternativeStream[];
}

/** Another client's streaming API, compared on rows/s and client CPU per row (no target). */
export interface AlternativeStream {
  /** Unique within the provider; what the output calls it. */
  readonly name: string;
  open(endpoint: Endpoint): Promise<StreamingRunner>;
}
