import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from '../errors/errors.js';
import { formatEndpoint, parseHostList } from './host-endpoint.js';

const options = { keyword: 'Host', defaultPort: 5432 };

describe('parseHostList', () => {
  it('reads hosts with and without ports', () => {
    expect(parseHostList('h1:5432,h2:5433,h3', options)).toEqual([
      { host: 'h1', port: 5432 },
      { host: 'h2', port: 5433 },
      { host: 'h3', port: 5432 },
    ]);
  });

  it('reads IPv6 addresses in brackets, and bare ones without a port', () => {
    expect(parseHostList('[::1]:5433, [fe80::1], ::1', options)).toEqual([
      { host: '::1', port: 5433 },
      { host: 'fe80::1', port: 5432 },
      { host: '::1', port: 5432 },
    ]);
  });

  it.each([
    ['h1,,h2', 'empty host entry', 3],
    ['h1:0', 'port that is not an integer', 3],
    ['h1:99999', 'port that is not an integer', 3],
    ['h1:x', 'port that is not an integer', 3],
    ['db,Password=Tr0ub4dor', "holding '='", 3],
    ['db:5432,Password=Tr0ub4dor&3', "holding '='", 8],
    ['db, other host', 'white space', 4],
    ['[::1', 'without a closing', 0],
    ['[::1]x', 'expected ":port"', 5],
    [':5432', 'empty host name', 0],
  ])('rejects %s naming the problem and its position', (value, problem, position) => {
    const error = (() => {
      try {
        parseHostList(value, options);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect((error as ConnectionStringError).message).toContain(problem);
    expect((error as ConnectionStringError).keyword).toBe('Host');
    expect((error as ConnectionStringError).position).toBe(position);
    // Never the text: a malformed string can put a password in a host list (issue 13 item 1).
    expect(JSON.stringify(error) + String(error)).not.toMatch(/Tr0ub4dor|99999|"x"/);
  });

  it('formats endpoints, IPv6 in brackets', () => {
    expect(formatEndpoint({ host: 'db', port: 1 })).toBe('db:1');
    expect(formatEndpoint({ host: '::1', port: 2 })).toBe('[::1]:2');
  });
});
