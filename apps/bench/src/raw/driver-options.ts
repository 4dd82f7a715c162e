import type { config as MssqlConfig } from 'mssql';
import type mysql from 'mysql2';
import type pg from 'pg';
import type { ConnectionConfiguration } from 'tedious';
import type { Endpoint } from '../servers/endpoint.js';

/** `pg` options for an endpoint (driver defaults otherwise, as a user would write them). */
export function pgConfig(endpoint: Endpoint): pg.ClientConfig {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    ...(endpoint.database === '' ? {} : { database: endpoint.database }),
  };
}

/** `mysql2` options for an endpoint. */
export function mysqlConfig(endpoint: Endpoint): mysql.ConnectionOptions {
  return {
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    ...(endpoint.database === '' ? {} : { database: endpoint.database }),
  };
}

/** `tedious` options for an endpoint. The TDS test server speaks plain TCP only, so encryption is off. */
export function tediousConfig(endpoint: Endpoint): ConnectionConfiguration {
  return {
    server: endpoint.host,
    authentication: { type: 'default', options: { userName: endpoint.user, password: endpoint.password } },
    options: {
      port: endpoint.port,
      encrypt: false,
      trustServerCertificate: true,
      ...(endpoint.database === '' ? {} : { database: endpoint.database }),
    },
  };
}

/** `mssql` ConnectionPool options for an endpoint, with a pool of `max` connections. */
export function mssqlPoolConfig(endpoint: Endpoint, max: number): MssqlConfig {
  return {
    server: endpoint.host,
    port: endpoint.port,
    user: endpoint.user,
    password: endpoint.password,
    ...(endpoint.database === '' ? {} : { database: endpoint.database }),
    options: { encrypt: false, trustServerCertificate: true },
    pool: { max, min: 0 },
  };
}
