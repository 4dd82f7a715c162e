import type { ProviderName } from '../cli/names.js';
import type { Endpoint } from '../servers/endpoint.js';
import { factoryOf } from './register-providers.js';

/** The connection-string keywords of each provider for the parts of an endpoint. */
const KEYWORDS: Readonly<Record<ProviderName, (endpoint: Endpoint) => ReadonlyArray<readonly [string, string | number | boolean]>>> = {
  pg: (e) => [['Host', e.host], ['Port', e.port], ['Username', e.user], ['Password', e.password], ['Database', e.database]],
  mysql: (e) => [['Server', e.host], ['Port', e.port], ['User ID', e.user], ['Password', e.password], ['Database', e.database]],
  mssql: (e) => [
    ['Data Source', `${e.host},${e.port}`],
    ['User ID', e.user],
    ['Password', e.password],
    ['Initial Catalog', e.database],
    // The TDS test server speaks plain TCP only (its PRELOGIN answers ENCRYPT_NOT_SUP).
    ['Encrypt', 'Optional'],
    ['Trust Server Certificate', true],
  ],
  // The database file; no server, no login.
  sqlite: (e) => [['Data Source', e.database]],
};

/**
 * asyncdb's connection string for an endpoint: pooling on (asyncdb's default) with `Max Pool Size=poolSize`, and
 * `Asynchronous Processing=true` so the Begin/End methods of scenario 5 are allowed. Built with the provider's own
 * builder, so quoting is always right.
 */
export function asyncdbConnectionString(endpoint: Endpoint, poolSize: number): string {
  const builder = factoryOf(endpoint.provider).createConnectionStringBuilder();
  for (const [keyword, value] of KEYWORDS[endpoint.provider](endpoint)) {
    if (value !== '') builder.set(keyword, value);
  }
  builder.set('Max Pool Size', poolSize);
  builder.set('Asynchronous Processing', true);
  return builder.connectionString;
}
