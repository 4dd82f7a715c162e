import { ConnectionStringError } from '../errors/errors.js';

/** One server of a multi-host connection string. */
export interface HostEndpoint {
  /** Host name or IP address as written (an IPv6 address without its brackets). */
  readonly host: string;
  readonly port: number;
}

/** How a provider's host list is read. */
export interface HostListOptions {
  /** The keyword the list came from, named in errors (`Host`, `Server`). */
  readonly keyword: string;
  /** The port of a host written without one (the `Port` keyword, else the engine's default). */
  readonly defaultPort: number;
}

/**
 * Reads a comma-separated host list: `h1:5432,h2:5433,h3`, each host with an optional `:port` (else `defaultPort`),
 * IPv6 addresses in brackets (`[::1]:5433`; a bare IPv6 address without a port is accepted too). Spaces around
 * entries are ignored.
 * @throws {ConnectionStringError} naming the keyword and the zero-based position in the value of an empty entry, an
 *   unclosed bracket, a host name holding '=', ';' or white space, or a port that is not an integer from 1 to 65535 —
 *   never quoting the text, which a malformed string can fill with a password.
 */
export function parseHostList(value: string, options: HostListOptions): HostEndpoint[] {
  const endpoints: HostEndpoint[] = [];
  let start = 0;
  for (const entry of value.split(',')) {
    endpoints.push(parseEntry(entry, start, options));
    start += entry.length + 1;
  }
  return endpoints;
}

function parseEntry(raw: string, offset: number, options: HostListOptions): HostEndpoint {
  const leading = raw.length - raw.trimStart().length;
  const entry = raw.trim();
  const position = offset + leading;
  const fail = (problem: string, at = position): never => {
    throw new ConnectionStringError(`Invalid ${options.keyword} list: ${problem} at position ${at} of the value.`, {
      keyword: options.keyword,
      position: at,
    });
  };
  if (entry === '') fail('empty host entry');
  let host: string;
  let portText: string | undefined;
  if (entry.startsWith('[')) {
    const close = entry.indexOf(']');
    if (close < 0) fail('"[" without a closing "]"');
    host = entry.slice(1, close);
    const rest = entry.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) fail('expected ":port" after "]"', position + close + 1);
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colons = entry.split(':').length - 1;
    if (colons === 1) {
      const colon = entry.indexOf(':');
      host = entry.slice(0, colon);
      portText = entry.slice(colon + 1);
    } else {
      // No colon, or a bare IPv6 address (which needs brackets to carry a port).
      host = entry;
    }
  }
  if (host === '') fail('empty host name');
  // `Server=db,Password=secret` (a ',' typed for ';') would make the rest of the string a host name, echoed by every
  // later network error: no host name holds '=', ';' or white space, so the entry is refused by position.
  if (/[=;\s]/.test(host)) fail("a host name holding '=', ';' or white space (a ',' typed for ';'?)");
  if (portText === undefined) return { host, port: options.defaultPort };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    // The text is not quoted: a malformed string can put part of a password here.
    fail('port that is not an integer from 1 to 65535', position + entry.lastIndexOf(portText));
  }
  return { host, port };
}

/** `host:port`, an IPv6 address in brackets: how diagnostics and error messages name an endpoint. */
export function formatEndpoint(endpoint: HostEndpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}
