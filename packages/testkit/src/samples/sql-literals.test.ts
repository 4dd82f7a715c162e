import { describe, expect, it } from 'vitest';
import { nationalSqlString, sqlString } from './sql-literals.js';

describe('sqlString', () => {
  it('quotes text and doubles the quotes inside', () => {
    expect(sqlString('hello')).toBe("'hello'");
    expect(sqlString('')).toBe("''");
    expect(sqlString("O'Brien's")).toBe("'O''Brien''s'");
  });
});

describe('nationalSqlString', () => {
  it('is the standard literal with the N prefix', () => {
    expect(nationalSqlString("O'Brien")).toBe("N'O''Brien'");
  });
});
