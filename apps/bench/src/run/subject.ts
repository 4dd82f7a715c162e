/**
 * One side of a comparison — asyncdb, or a raw driver used the way a competent user of that driver would — as the
 * in-process scenarios drive it. Both sides of a scenario run the same SQL against the same server.
 */

/** Scenario 1: one open connection on which the same command runs again and again. */
export interface RoundTripSession {
  selectOne(): Promise<void>;
  close(): Promise<void>;
}

/** What one parallel run measured. */
export interface ParallelRun {
  /** From the first command's start until every command was collected. */
  readonly wallMs: number;
  /** Each command's own time, from its start until it completed. */
  readonly commandMs: readonly number[];
}

/** Scenario 5: `count` open connections that start the same slow command together. */
export interface ParallelSessions {
  runAll(): Promise<ParallelRun>;
  close(): Promise<void>;
}

/** What each scenario's baseline is called in the output. */
export interface BaselineNames {
  readonly roundTrips: string;
  readonly pooled: string;
  readonly parallel: string;
}

/** One side of the in-process scenarios (1, 2, 4 and 5). */
export interface BenchSubject {
  /** 'asyncdb', or the driver. */
  readonly name: string;
  readonly baselines: BaselineNames;
  /** Opens a connection for scenario 1. */
  openSession(): Promise<RoundTripSession>;
  /** Scenarios 2 and 4: take a connection from the pool, run `SELECT 1`, give it back. */
  pooledSelectOne(): Promise<void>;
  /** Opens `count` connections that run `sql` together (scenario 5). */
  openParallel(count: number, sql: string): Promise<ParallelSessions>;
  /** Closes the pool and anything else the subject holds. */
  dispose(): Promise<void>;
}
