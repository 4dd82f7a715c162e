/** Transaction isolation levels. Mirrors `System.Data.IsolationLevel`. */
export const IsolationLevel = {
  /** The provider's (and server's) default. */
  Unspecified: 'Unspecified',
  ReadUncommitted: 'ReadUncommitted',
  ReadCommitted: 'ReadCommitted',
  RepeatableRead: 'RepeatableRead',
  Serializable: 'Serializable',
  /** SQL Server snapshot isolation; other engines reject it with NotSupportedError. */
  Snapshot: 'Snapshot',
  /** Not supported by any provider; kept for ADO.NET parity. */
  Chaos: 'Chaos',
} as const;
/** One of the {@link IsolationLevel} values. */
export type IsolationLevel = (typeof IsolationLevel)[keyof typeof IsolationLevel];
