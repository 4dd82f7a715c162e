import { describe, expect, it } from 'vitest';
import { formatServerVersion } from './mssql-session.js';

describe('formatServerVersion', () => {
  it("gives SqlClient's MM.mm.bbbb from @@VERSION", () => {
    expect(formatServerVersion('Microsoft SQL Server 2022 (RTM) - 16.0.1000.6 (X64) \n\tOct  8 2022')).toBe(
      '16.00.1000',
    );
    expect(formatServerVersion('Microsoft SQL Server 2016 (SP3) (KB5003279) - 13.0.6300.2 (X64)')).toBe('13.00.6300');
    expect(formatServerVersion('  something else  ')).toBe('something else');
  });
});
