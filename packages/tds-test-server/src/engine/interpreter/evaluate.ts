import type { TdsValue } from '../engine-types.js';
import { tdsColumnFor } from '../pg/pg-column-map.js';
import { tdsValueFor } from '../pg/pg-value-map.js';
import { coerceValue } from '../session/coerce.js';
import { translateExpression } from '../translate/translator.js';
import type { Expression } from '../tsql/ast.js';
import { isWord, type Token } from '../tsql/tokenizer.js';
import { TsqlError } from '../tsql/tsql-error.js';
import type { SqlType } from '../tsql/type-names.js';
import type { Frame } from './frame.js';
import { ParamBinder } from './param-binder.js';
import type { SessionHost } from './session-host.js';

/** The value of a lone literal or variable, without asking PostgreSQL; undefined for anything else. */
function literalValue(expression: Expression, frame: Frame): { value: TdsValue } | undefined {
  if (expression.length === 2 && expression[0]?.text === '-' && expression[1]?.kind === 'number') {
    return { value: -Number(expression[1].value) };
  }
  if (expression.length !== 1) return undefined;
  const token = expression[0] as Token;
  switch (token.kind) {
    case 'string':
    case 'nstring':
      return { value: token.value };
    case 'number':
      return /^\d+$/.test(token.value) && Number(token.value) <= 2147483647 ? { value: Number(token.value) } : undefined;
    case 'variable': {
      const variable = frame.scope.get(token.value);
      if (variable === undefined) throw new TsqlError(137, `Must declare the scalar variable "${token.value}".`, token.line);
      return { value: variable.value };
    }
    default:
      return isWord(token, 'NULL') ? { value: null } : undefined;
  }
}

/** Runs `SELECT expr AS c1, …` with the expressions' variables bound; returns the converted values. */
async function select(host: SessionHost, frame: Frame, expressions: readonly { expression: Expression; type?: SqlType }[]): Promise<TdsValue[]> {
  const binder = new ParamBinder(host, frame);
  const items = expressions.map(({ expression, type }) => {
    const { text, usesScopeIdentity } = translateExpression(expression, binder);
    if (usesScopeIdentity) throw new TsqlError(50000, 'SCOPE_IDENTITY() outside a query is not supported by the TDS test server.', expression[0]?.line ?? 1);
    return type === undefined ? `(${text})` : `CAST((${text}) AS ${type.pg})`;
  });
  const result = await host.runner.query(`SELECT ${items.join(', ')}`, binder.values);
  const row = result.rows[0] ?? [];
  return expressions.map(({ type }, i) => {
    const field = result.fields[i];
    const col = type?.tds ?? (field === undefined ? undefined : tdsColumnFor(field, [row[i] ?? null]));
    return col === undefined ? null : tdsValueFor(col, row[i] ?? null);
  });
}

/**
 * Evaluates a T-SQL expression, converted to `type` when given. Lone literals and variables are read
 * directly; anything else is computed by PostgreSQL (`SELECT CAST((expr) AS type)`).
 */
export async function evaluate(host: SessionHost, frame: Frame, expression: Expression, type?: SqlType): Promise<TdsValue> {
  const literal = literalValue(expression, frame);
  if (literal !== undefined && (type === undefined || type.tds.type !== 'bit' || typeof literal.value !== 'string')) {
    return type === undefined ? literal.value : coerceValue(literal.value, type.tds);
  }
  const [value] = await select(host, frame, [type === undefined ? { expression } : { expression, type }]);
  return value ?? null;
}

/** Evaluates several expressions in one round trip (RAISERROR arguments, EXEC arguments). */
export async function evaluateAll(host: SessionHost, frame: Frame, expressions: readonly Expression[]): Promise<TdsValue[]> {
  const literals = expressions.map((expression) => literalValue(expression, frame));
  if (literals.every((l) => l !== undefined)) return literals.map((l) => (l as { value: TdsValue }).value);
  return select(host, frame, expressions.map((expression) => ({ expression })));
}

/** Evaluates an IF/WHILE condition. */
export async function condition(host: SessionHost, frame: Frame, expression: Expression): Promise<boolean> {
  const binder = new ParamBinder(host, frame);
  const { text } = translateExpression(expression, binder);
  const result = await host.runner.query(`SELECT CASE WHEN (${text}) THEN 1 ELSE 0 END`, binder.values);
  return result.rows[0]?.[0] === '1';
}

/** The text of a value, as PRINT and RAISERROR show it. */
export function displayText(value: TdsValue): string {
  if (value === null) return '';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex').toUpperCase()}`;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'object') return value.date.toISOString();
  return String(value);
}
