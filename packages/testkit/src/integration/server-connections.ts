import type { DbConnection, DbConnectionStringBuilder } from '@asyncdb/core';

/** Extra connection-string keywords for a test connection (`{ Pooling: false, 'Max Pool Size': 1 }`). */
export type Keywords = Readonly<Record<string, string | number | boolean>>;

/** What {@link serverConnections} needs of a provider factory: its connections and its connection-string builder. */
export interface ConnectionFactory<C extends DbConnection> {
  createConnection(connectionString: string): C;
  createConnectionStringBuilder(connectionString: string): DbConnectionStringBuilder;
}

/** Connections to the one server of a test run, for a provider's own integration tests. */
export interface ServerConnections<C extends DbConnection> {
  /** The server's connection string in the provider's canonical form, with `keywords` set on top. */
  connectionString(keywords?: Keywords): string;
  /** Opens a connection to the server (pooled unless `keywords` say otherwise); the caller closes it. */
  openConnection(keywords?: Keywords): Promise<C>;
  /**
   * Runs `body` with a separate, unpooled connection (Application Name `asyncdb-observer`): the test's view of the
   * server from outside, to watch or end the sessions of the connections under test. Closed when `body` settles.
   */
  withObserver<T>(body: (observer: C) => Promise<T>): Promise<T>;
}

/**
 * The connections of a provider's integration tests to their server: `server` is called each time, so it can read
 * what the run's global setup provides (`() => inject('pgUrl')`). The functions returned do not use `this`, so they
 * can be destructured and exported from the provider's test helper module.
 */
export function serverConnections<C extends DbConnection>(
  factory: ConnectionFactory<C>,
  server: () => string,
): ServerConnections<C> {
  const connectionString = (keywords: Keywords = {}): string => {
    const builder = factory.createConnectionStringBuilder(server());
    for (const [keyword, value] of Object.entries(keywords)) builder.set(keyword, value);
    return builder.connectionString;
  };
  const openConnection = async (keywords: Keywords = {}): Promise<C> => {
    const connection = factory.createConnection(connectionString(keywords));
    await connection.open();
    return connection;
  };
  const withObserver = async <T>(body: (observer: C) => Promise<T>): Promise<T> => {
    await using observer = await openConnection({ Pooling: false, 'Application Name': 'asyncdb-observer' });
    // `return await`: a bare `return body()` would dispose the observer before the body finished.
    return await body(observer);
  };
  return { connectionString, openConnection, withObserver };
}
