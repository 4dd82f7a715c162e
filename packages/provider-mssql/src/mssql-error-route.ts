import type { TediousConnection, TediousMessageToken } from './mssql-tedious.js';

/** Where a connection's ERROR tokens go: the command running on it, if any. */
export interface MssqlErrorRoute {
  /** Receives the ERROR tokens while a command runs; `undefined` between commands. */
  current: ((token: TediousMessageToken) => void) | undefined;
}

const routes = new WeakMap<TediousConnection, MssqlErrorRoute>();

/**
 * The error route of a tedious connection, created with its one `errorMessage` listener on first use. tedious reports
 * a request's ERROR tokens on the connection, not the request; a connection runs one request at a time (core never
 * starts a second command on a busy connection), so one listener for the connection's life that forwards to the
 * running command does what an `on`/`off` pair per command did, without two listener updates on every round trip.
 */
export function errorRouteOf(connection: TediousConnection): MssqlErrorRoute {
  let route = routes.get(connection);
  if (route === undefined) {
    const created: MssqlErrorRoute = { current: undefined };
    connection.on('errorMessage', (token) => created.current?.(token));
    routes.set(connection, created);
    route = created;
  }
  return route;
}
