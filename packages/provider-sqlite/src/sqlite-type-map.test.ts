import { describe, expect, it } from 'vitest';
import { columnTypeOf } from './sqlite-type-map.js';

describe('columnTypeOf', () => {
  it('reads a declared type once: the next result with that type gets the same frozen answer', () => {
    const first = columnTypeOf('DECIMAL(20, 4)');
    expect(first).toEqual({ dbType: 'Decimal', dataTypeName: 'DECIMAL(20, 4)', precision: 20, scale: 4 });
    expect(Object.isFrozen(first)).toBe(true);
    expect(columnTypeOf('DECIMAL(20, 4)')).toBe(first);
  });

  it('remembers a name it does not know as unknown, and keeps names apart by their spelling', () => {
    expect(columnTypeOf('WIDGET')).toBeUndefined();
    expect(columnTypeOf('WIDGET')).toBeUndefined();
    expect(columnTypeOf('text decimal(10,2)')).toMatchObject({ dbType: 'Decimal', dataTypeName: 'text decimal(10,2)' });
    expect(columnTypeOf('TEXT')).toMatchObject({ dbType: 'String', dataTypeName: 'TEXT' });
    expect(columnTypeOf('money')).toMatchObject({ dbType: 'Currency', scale: 4 });
  });
});
