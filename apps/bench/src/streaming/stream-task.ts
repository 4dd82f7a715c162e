import type { ProviderName } from '../cli/names.js';
import type { Endpoint } from '../servers/endpoint.js';

/** Who reads the rows in a streaming run ('alternative': another client's streaming API, named by the task). */
export type StreamMode = 'asyncdb' | 'raw-stream' | 'raw-buffered' | 'alternative';

/** What the parent sends a streaming child (over IPC: the endpoint holds a password). */
export interface StreamTask {
  readonly provider: ProviderName;
  readonly mode: StreamMode;
  /** With mode 'alternative': which of the baseline's alternatives (raw/streaming-baseline.ts), by name. */
  readonly alternative?: string;
  readonly endpoint: Endpoint;
  readonly sql: string;
  readonly expectedRows: number;
}

/** What a streaming child measured. */
export interface StreamMeasurement {
  readonly rows: number;
  readonly checksum: number;
  readonly ms: number;
  readonly cpuMicros: number;
  /** Highest resident set size during the read (VmHWM after a reset, or sampling when that is unavailable). */
  readonly peakRssBytes: number;
  /** RSS just before the read started (connection open, garbage collected). */
  readonly baselineRssBytes: number;
  /** Highest V8 heap use seen by the sampler. */
  readonly peakHeapUsedBytes: number;
  /** How the peak was obtained. */
  readonly peakSource: 'VmHWM' | 'sampled';
}

/** A child's answer. */
export type StreamReply = { readonly ok: StreamMeasurement } | { readonly error: string };
