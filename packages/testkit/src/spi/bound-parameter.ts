import { inferDbType, type BoundParameter } from '@asyncdb/core';

/**
 * A {@link BoundParameter} as core hands one to a provider, for a provider's unit tests of its parameter encoding:
 * named `p`, an input, no size, precision or scale, and its DbType inferred from `value` — or, when `overrides`
 * give a `dbType` (not `undefined`), that one, marked as set by the user. Any other field can be overridden too.
 */
export function boundParameter(value: unknown, overrides: Partial<BoundParameter> = {}): BoundParameter {
  const { dbType, ...rest } = overrides;
  return {
    name: 'p',
    value,
    dbTypeExplicit: dbType !== undefined,
    direction: 'Input',
    size: 0,
    precision: 0,
    scale: 0,
    ...rest,
    dbType: dbType ?? inferDbType(value),
  };
}
