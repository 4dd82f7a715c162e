import type { TdsColumn, TdsIsolationLevel, TdsValue } from '../engine-types.js';
import { toPgParam, type PgParam } from '../pg/pg-param.js';
import type { TranslateContext } from '../translate/translate-context.js';
import { TsqlError } from '../tsql/tsql-error.js';
import { isStringType, pgTypeFor } from '../tsql/type-names.js';
import type { Frame } from './frame.js';
import type { SessionHost } from './session-host.js';

const column = (type: TdsColumn['type'], extra: Partial<TdsColumn> = {}): TdsColumn => ({ name: '', type, nullable: true, ...extra });
const INT = column('int');

/** sys.dm_exec_sessions.transaction_isolation_level codes. */
const ISOLATION_CODES: Record<TdsIsolationLevel, number> = {
  'read uncommitted': 1,
  'read committed': 2,
  'repeatable read': 3,
  serializable: 4,
  snapshot: 5,
};
const NAME = column('nvarchar', { length: 128 });

/** The value and type of a system function or @@variable, or undefined when it is not one the engine knows. */
function systemValue(name: string, host: SessionHost, frame: Frame): { value: TdsValue; type: TdsColumn } | undefined {
  const caught = frame.caught;
  switch (name) {
    case 'SPID':
      return { value: host.runner.pid, type: INT };
    case 'VERSION':
      return { value: host.serverVersion, type: column('nvarchar', { length: -1 }) };
    case 'ROWCOUNT':
      return { value: host.state.rowCount, type: INT };
    case 'TRANCOUNT':
      return { value: host.transactions.count, type: INT };
    case 'ISOLATION_LEVEL':
      return { value: ISOLATION_CODES[host.state.isolation], type: column('smallint') };
    case 'ERROR':
      return { value: host.state.lastError, type: INT };
    case 'SERVERNAME':
      return { value: host.serverName, type: NAME };
    case 'SERVICENAME':
      return { value: 'MSSQLSERVER', type: NAME };
    case 'LANGUAGE':
      return { value: 'us_english', type: NAME };
    case 'DATEFIRST':
      return { value: 7, type: column('tinyint') };
    case 'MAX_PRECISION':
      return { value: 38, type: column('tinyint') };
    case 'NESTLEVEL':
      return { value: frame.procName === undefined ? 0 : 1, type: INT };
    case 'LOCK_TIMEOUT':
      return { value: host.state.lockTimeout, type: INT };
    case 'TEXTSIZE':
      return { value: 2147483647, type: INT };
    case 'DB_NAME':
      return { value: host.state.database, type: NAME };
    case 'SUSER_SNAME':
      return { value: host.state.login.userName, type: NAME };
    case 'APP_NAME':
      return { value: host.state.login.appName, type: NAME };
    case 'HOST_NAME':
      return { value: host.state.login.hostName, type: NAME };
    case 'XACT_STATE':
      return { value: host.transactions.count > 0 ? 1 : 0, type: column('smallint') };
    case 'ERROR_MESSAGE':
      return { value: caught?.message ?? null, type: column('nvarchar', { length: 4000 }) };
    case 'ERROR_NUMBER':
      return { value: caught?.number ?? null, type: INT };
    case 'ERROR_SEVERITY':
      return { value: caught?.severity ?? null, type: INT };
    case 'ERROR_STATE':
      return { value: caught?.state ?? null, type: INT };
    case 'ERROR_LINE':
      return { value: caught?.lineNumber ?? null, type: INT };
    case 'ERROR_PROCEDURE':
      return { value: caught?.procName ?? null, type: NAME };
    default:
      return undefined;
  }
}

/**
 * The {@link TranslateContext} of one statement: binds T-SQL variables and session values as PostgreSQL
 * parameters (`$n::type`, the cast telling PostgreSQL the declared type), reusing one parameter per name.
 */
export class ParamBinder implements TranslateContext {
  readonly values: PgParam[] = [];
  readonly #bound = new Map<string, string>();

  constructor(
    private readonly host: SessionHost,
    private readonly frame: Frame,
  ) {}

  variable(name: string, line: number, implicit = false): string {
    const key = name.toLowerCase();
    const variable = this.frame.scope.get(name);
    if (variable === undefined) throw new TsqlError(137, `Must declare the scalar variable "${name}".`, line);
    if (implicit && isStringType(variable.type.tds)) {
      // A parameter of its own, untyped, so its type comes from the column it meets.
      this.values.push(toPgParam(variable.value, variable.type.tds));
      return `$${this.values.length}`;
    }
    const known = this.#bound.get(key);
    if (known !== undefined) return known;
    const placeholder = this.bind(variable.value, variable.type.tds);
    this.#bound.set(key, placeholder);
    return placeholder;
  }

  variableType(name: string): TdsColumn | undefined {
    return this.frame.scope.get(name)?.type.tds;
  }

  system(name: string): string | undefined {
    const key = `@@${name}`;
    const known = this.#bound.get(key);
    if (known !== undefined) return known;
    const found = systemValue(name, this.host, this.frame);
    if (found === undefined) return undefined;
    const placeholder = this.bind(found.value, found.type);
    this.#bound.set(key, placeholder);
    return placeholder;
  }

  hasProcedure(name: string): boolean {
    return this.host.procedures.has(name);
  }

  /** Adds a parameter holding `value` as `type`; returns `$n::pgtype`. */
  bind(value: TdsValue, type: TdsColumn): string {
    this.values.push(toPgParam(value, type));
    return `$${this.values.length}::${pgTypeFor(type)}`;
  }
}
