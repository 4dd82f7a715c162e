import type { EngineEvent } from '../engine-types.js';
import type { PgRunner } from '../pg/pg-runner.js';
import type { ProcedureStore } from '../session/procedure-store.js';
import type { SessionState } from '../session/session-state.js';
import type { TableCatalog } from '../session/table-catalog.js';
import type { TransactionState } from '../session/transaction-state.js';

/** What the interpreter needs from its session. */
export interface SessionHost {
  /** The PostgreSQL session (replaced by USE). */
  readonly runner: PgRunner;
  readonly state: SessionState;
  readonly transactions: TransactionState;
  readonly procedures: ProcedureStore;
  /** Declared column types of the tables created through the engine. */
  readonly tables: TableCatalog;
  readonly serverVersion: string;
  readonly serverName: string;
  /** USE: switches to another PostgreSQL database; returns the ENVCHANGE (and INFO) events. */
  useDatabase(name: string): Promise<EngineEvent[]>;
  /** sp_reset_connection, run inside the current request. */
  resetSession(): Promise<void>;
}
