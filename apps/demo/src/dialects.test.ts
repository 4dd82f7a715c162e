import { describe, expect, it } from 'vitest';
import type { DbProviderFactory } from '@asyncdb/core';
import { DIALECTS, dialectFor } from './dialects.js';

describe('dialects', () => {
  it('delays on the server with each engine’s own statement', () => {
    expect(DIALECTS.pg!.delay(0.9)).toBe('DO $$BEGIN PERFORM pg_sleep(0.9); END$$');
    expect(DIALECTS.mysql!.delay(0.3)).toBe('DO SLEEP(0.3)');
    expect(DIALECTS.mssql!.delay(0.6)).toBe("WAITFOR DELAY '00:00:00.600'");
    expect(DIALECTS.mssql!.delay(62.5)).toBe("WAITFOR DELAY '00:01:02.500'");
  });

  it('uses Unicode text columns on SQL Server only', () => {
    expect(DIALECTS.pg!.types.text(30)).toBe('VARCHAR(30)');
    expect(DIALECTS.mysql!.types.text(30)).toBe('VARCHAR(30)');
    expect(DIALECTS.mssql!.types.text(30)).toBe('NVARCHAR(30)');
  });

  it('finds the dialect by the factory’s invariant name, and names the known ones otherwise', () => {
    expect(dialectFor({ invariantName: 'mysql' } as DbProviderFactory).engine).toBe('MySQL/MariaDB');
    expect(() => dialectFor({ invariantName: 'oracle' } as DbProviderFactory)).toThrow(
      "The demo has no SQL dialect for provider 'oracle'; it knows pg, mysql, mssql",
    );
  });
});
