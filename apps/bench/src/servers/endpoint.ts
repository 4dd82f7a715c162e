import type { ProviderName } from '../cli/names.js';

/**
 * Where a provider's server listens and how to log in: the one description both asyncdb's connection string and the
 * raw driver's options are derived from, so both sides always talk to the same server with the same credentials.
 */
export interface Endpoint {
  readonly provider: ProviderName;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Empty for the server's default. */
  readonly database: string;
  /** What the server is, for the output (never the password). */
  readonly description: string;
}

/** Reads an endpoint from a `scheme://user:password@host:port/database` URL. */
export function endpointFromUrl(provider: ProviderName, url: string, defaultPort: number, description: string): Endpoint {
  const parsed = new URL(url);
  return {
    provider,
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? defaultPort : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    description,
  };
}

/** The endpoint as a `postgres://` URL (what the TDS test server's engine takes). */
export function postgresUrlOf(endpoint: Endpoint): string {
  const credentials = `${encodeURIComponent(endpoint.user)}${endpoint.password === '' ? '' : `:${encodeURIComponent(endpoint.password)}`}`;
  return `postgres://${credentials}@${endpoint.host}:${endpoint.port}/${encodeURIComponent(endpoint.database)}`;
}
