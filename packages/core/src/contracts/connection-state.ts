/**
 * The state of a {@link DbConnection}. Mirrors `System.Data.ConnectionState`; asyncdb reports
 * `Closed`, `Connecting`, `Open` and `Broken`, and tracks `Executing`/`Fetching` internally for its guards.
 */
export const ConnectionState = {
  Closed: 'Closed',
  Open: 'Open',
  Connecting: 'Connecting',
  Executing: 'Executing',
  Fetching: 'Fetching',
  Broken: 'Broken',
} as const;
/** One of the {@link ConnectionState} values. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];
