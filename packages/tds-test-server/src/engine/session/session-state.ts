import type { LoginInfo, TdsIsolationLevel } from '../engine-types.js';

/** A statement prepared with sp_prepare, run by sp_execute. */
export interface PreparedStatement {
  /** The parameter declarations (`@a int, @b nvarchar(10) OUTPUT`). */
  readonly declarations: string;
  readonly statement: string;
}

/** Per-session settings and counters the T-SQL interpreter keeps (what SET and @@ functions read). */
export class SessionState {
  /** SET NOCOUNT: DONE tokens then carry no row count. */
  nocount = false;
  /** SET XACT_ABORT: an error also rolls the open transaction back. */
  xactAbort = false;
  /** The isolation level of the next transaction (SET TRANSACTION ISOLATION LEVEL, TM begin requests). */
  isolation: TdsIsolationLevel = 'read committed';
  /** SET LOCK_TIMEOUT in milliseconds (@@LOCK_TIMEOUT); -1 waits forever. */
  lockTimeout = -1;
  /** @@ROWCOUNT. */
  rowCount = 0;
  /** @@ERROR: the number of the last error, 0 after a statement that succeeded. */
  lastError = 0;
  /** Handles of sp_prepare. */
  readonly prepared = new Map<number, PreparedStatement>();
  nextHandle = 1;

  constructor(
    readonly login: LoginInfo,
    /** The current database name. */
    public database: string,
    /** The database the login asked for (sp_reset_connection returns to it). */
    readonly loginDatabase: string,
  ) {}

  /** Back to the state of a fresh login (sp_reset_connection). */
  reset(): void {
    this.nocount = false;
    this.xactAbort = false;
    this.isolation = 'read committed';
    this.lockTimeout = -1;
    this.rowCount = 0;
    this.lastError = 0;
    this.prepared.clear();
  }
}
