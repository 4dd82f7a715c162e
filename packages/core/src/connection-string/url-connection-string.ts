import { ConnectionStringError } from '../errors/errors.js';

/**
 * The provider's canonical keywords for the parts of a connection URL, e.g. for PostgreSQL
 * `{ host: 'Host', port: 'Port', database: 'Database', user: 'Username', password: 'Password' }`.
 */
export interface UrlKeywordMap {
  /** Keyword for the host name (IPv6 brackets removed, percent-decoded so `%2Ftmp` names a socket directory). */
  readonly host: string;
  /** Keyword for the port number. */
  readonly port: string;
  /** Keyword for the database (the path without its leading `/`). */
  readonly database: string;
  /** Keyword for the user name. */
  readonly user: string;
  /** Keyword for the password. */
  readonly password: string;
  /** When given, the accepted schemes (case-insensitive), e.g. `['postgres', 'postgresql']`. */
  readonly schemes?: readonly string[];
}

const URL_START = /^\s*[a-z][a-z\d+.-]*:\/\//i;

/** Whether `text` starts like a URL (`scheme://`) rather than a `key=value;` connection string. */
export function looksLikeUrl(text: string): boolean {
  return URL_START.test(text);
}

function urlError(problem: string): ConnectionStringError {
  return new ConnectionStringError(`Invalid connection URL: ${problem}`);
}

/**
 * Says why `new URL` refused the text without quoting any of it: the text may hold a password,
 * and node's own error keeps the whole input, so it is not kept as `cause` either.
 */
function describeUnparsable(text: string): string {
  const afterScheme = text.slice(text.indexOf('//') + 2);
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostPort)?.[1];
  if (port !== undefined && !(/^\d*$/.test(port) && Number(port) <= 65535)) {
    return "the port is not a number from 0 to 65535 (a user name or password containing '/', '?', '#' or '@' must be percent-encoded).";
  }
  return 'it cannot be parsed (percent-encode special characters in the user name, password and database).';
}

function decode(value: string, part: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw urlError(`the ${part} is not valid percent-encoding.`);
  }
}

/**
 * Reads a `scheme://user:password@host:port/database?option=value` URL into `[keyword, value]`
 * pairs, using the provider's keywords for the fixed parts and passing query options through as
 * written (decoded). Parts that are absent or empty are left out. Feed the pairs to a
 * {@link DbConnectionStringBuilder} with `set`, so its synonym and validation rules apply.
 *
 * ```ts
 * parseConnectionUrl('postgres://ann:p%40ss@db:5433/shop?sslmode=require', PG_URL_KEYWORDS);
 * // [['Host','db'], ['Port','5433'], ['Database','shop'], ['Username','ann'], ['Password','p@ss'], ['sslmode','require']]
 * ```
 *
 * @throws {ConnectionStringError} naming the problem; the message never contains the password.
 */
export function parseConnectionUrl(url: string, map: UrlKeywordMap): Array<[keyword: string, value: string]> {
  const text = url.trim();
  if (!looksLikeUrl(text)) throw urlError("expected 'scheme://' at the start.");
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw urlError(describeUnparsable(text));
  }
  const scheme = parsed.protocol.slice(0, -1).toLowerCase();
  if (map.schemes !== undefined && !map.schemes.some((accepted) => accepted.toLowerCase() === scheme)) {
    throw urlError(`unsupported scheme '${scheme}'; expected ${map.schemes.map((s) => `'${s}'`).join(' or ')}.`);
  }
  if (parsed.hash !== '') {
    throw urlError("it has a '#' fragment (a '#' in the password must be written %23).");
  }

  const pairs: Array<[string, string]> = [];
  const add = (keyword: string, value: string): void => {
    if (value !== '') pairs.push([keyword, value]);
  };
  add(map.host, decode(parsed.hostname.replace(/^\[(.*)\]$/, '$1'), 'host'));
  add(map.port, parsed.port);
  add(map.database, decode(parsed.pathname.replace(/^\//, ''), 'database'));
  add(map.user, decode(parsed.username, 'user name'));
  add(map.password, decode(parsed.password, 'password'));
  for (const [keyword, value] of parsed.searchParams) pairs.push([keyword, value]);
  return pairs;
}
