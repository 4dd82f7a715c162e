import { ConnectionStringError, NotSupportedError } from '@asyncdb/core';

/** Where a `Data Source` points: a host and either a TCP port or a named instance (resolved through SQL Browser). */
export interface MssqlDataSource {
  /** Host name or IP address; `(local)` and `.` become `localhost`. */
  readonly host: string;
  /** TCP port, when given (`host,port`). */
  readonly port?: number;
  /** Named instance, when given (`host\instance`) and no port was given (SqlClient lets the port win). */
  readonly instanceName?: string;
}

/** The default SQL Server port, used when neither a port nor an instance is given. */
export const MSSQL_DEFAULT_PORT = 1433;

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['(local)', '.', 'localhost']);

function invalid(): ConnectionStringError {
  return new ConnectionStringError("Invalid value for key 'data source'.", { keyword: 'Data Source' });
}

/**
 * Reads a SqlClient `Data Source`: `host`, `host,port`, `host\instance`, `host\instance,port`, with an optional
 * `tcp:` prefix; `(local)` and `.` mean this machine. Mirrors SqlClient's `DataSource` parsing for the TCP protocol.
 *
 * ```ts
 * parseDataSource('tcp:db.example.com,1533'); // { host: 'db.example.com', port: 1533 }
 * parseDataSource('.\\SQLEXPRESS');           // { host: 'localhost', instanceName: 'SQLEXPRESS' }
 * ```
 *
 * @throws {ConnectionStringError} for an empty host, a host or instance holding '=', ';', white space (or ':' outside
 *   an IPv6 address), or a port that is not 1–65535 — never quoting the text, where a typo can put a password.
 * @throws {NotSupportedError} for named pipes (`np:`), shared memory (`lpc:`) and LocalDB, which tedious cannot reach.
 */
export function parseDataSource(text: string): MssqlDataSource {
  let rest = text.trim();
  const protocol = /^(tcp|np|lpc|via|admin):/i.exec(rest)?.[1]?.toLowerCase();
  if (protocol !== undefined) {
    if (protocol !== 'tcp') {
      throw new NotSupportedError(
        `The '${protocol}:' protocol of Data Source is not supported: tedious connects over TCP only (use 'tcp:' or no prefix).`,
      );
    }
    rest = rest.slice(protocol.length + 1).trim();
  }
  if (/^\(localdb\)/i.test(rest)) {
    throw new NotSupportedError(
      'LocalDB data sources are not supported: tedious cannot start or reach LocalDB over named pipes.',
    );
  }
  let port: number | undefined;
  const comma = rest.lastIndexOf(',');
  if (comma >= 0) {
    const portText = rest.slice(comma + 1).trim();
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw invalid();
    port = Number(portText);
    rest = rest.slice(0, comma).trim();
  }
  let instanceName: string | undefined;
  const backslash = rest.indexOf('\\');
  if (backslash >= 0) {
    instanceName = rest.slice(backslash + 1).trim();
    rest = rest.slice(0, backslash).trim();
    if (instanceName === '') throw invalid();
  }
  let host = rest.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw invalid();
  if (/^[^:]+:\d+$/.test(host)) {
    throw new ConnectionStringError(
      "Invalid value for key 'data source': write the port after a comma ('host,1433'), as SqlClient does.",
      {
        keyword: 'Data Source',
      },
    );
  }
  // `Server=db Password=secret` or `Server=a:secret` (typos) would make a password part of the host name, which every
  // network error then echoes: no host name holds '=', ';', white space or a ':' outside an IPv6 address.
  if (
    /[=;\s]/.test(host) ||
    (host.includes(':') && !/^[0-9a-f:.]+$/i.test(host)) ||
    /[=;\s]/.test(instanceName ?? '')
  ) {
    throw new ConnectionStringError(
      "Invalid value for key 'data source': not a host name (it holds '=', ';', ':' or white space: a ';' missing?).",
      { keyword: 'Data Source' },
    );
  }
  if (LOCAL_HOSTS.has(host.toLowerCase())) host = 'localhost';
  if (port !== undefined) return { host, port };
  return instanceName === undefined ? { host } : { host, instanceName };
}

/** Writes a data source back in SqlClient form (`host,port` or `host\instance`). */
export function formatDataSource(source: MssqlDataSource): string {
  if (source.port !== undefined) return `${source.host},${source.port}`;
  if (source.instanceName !== undefined) return `${source.host}\\${source.instanceName}`;
  return source.host;
}

/** `Failover Partner`'s value: `host[,port]` as `Data Source` reads it, without an instance name. */
export function parseFailoverPartner(text: string): MssqlDataSource {
  let source: MssqlDataSource | undefined;
  try {
    source = parseDataSource(text);
  } catch {
    source = undefined;
  }
  if (source === undefined || source.instanceName !== undefined) {
    throw new ConnectionStringError("Invalid value for key 'failover partner': expected 'host' or 'host,port'.", {
      keyword: 'Failover Partner',
    });
  }
  return source;
}
