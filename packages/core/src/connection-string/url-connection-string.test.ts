import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from '../errors/errors.js';
import { DbConnectionStringBuilder } from './connection-string-builder.js';
import { COMMON_KEYWORDS, defineKeywords } from './connection-string-keywords.js';
import { looksLikeUrl, parseConnectionUrl, type UrlKeywordMap } from './url-connection-string.js';

const MAP: UrlKeywordMap = { host: 'Host', port: 'Port', database: 'Database', user: 'Username', password: 'Password' };

function url(text: string, map: UrlKeywordMap = MAP): Array<[string, string]> {
  return parseConnectionUrl(text, map);
}

/** The ConnectionStringError thrown for `text`. */
function failure(text: string, map: UrlKeywordMap = MAP): ConnectionStringError {
  try {
    parseConnectionUrl(text, map);
  } catch (error) {
    if (error instanceof ConnectionStringError) return error;
    throw error;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('looksLikeUrl', () => {
  it.each(['postgres://h', 'postgresql://u@h/db', 'mysql://h', 'mysql+srv://h', '  postgres://h', 'MSSQL://h'])(
    'accepts %j',
    (text) => expect(looksLikeUrl(text)).toBe(true),
  );
  it.each(['Host=h;Port=1', '', 'postgres:h', 'C:\\db', 'a=postgres://h', '1pg://h', '//h'])('rejects %j', (text) =>
    expect(looksLikeUrl(text)).toBe(false),
  );
});

describe('parseConnectionUrl', () => {
  it('reads every part, in a fixed order', () =>
    expect(url('postgres://ann:secret@db.example:5433/shop?sslmode=require')).toEqual([
      ['Host', 'db.example'],
      ['Port', '5433'],
      ['Database', 'shop'],
      ['Username', 'ann'],
      ['Password', 'secret'],
      ['sslmode', 'require'],
    ]));
  it('uses the provider keywords of the map', () =>
    expect(
      url('mysql://root@h/d', {
        host: 'Server',
        port: 'Port',
        database: 'Initial Catalog',
        user: 'User ID',
        password: 'PWD',
      }),
    ).toEqual([
      ['Server', 'h'],
      ['Initial Catalog', 'd'],
      ['User ID', 'root'],
    ]));
  it('percent-decodes the password', () =>
    expect(url('postgres://u:p%40ss%3Bw%3D%22@h')).toContainEqual(['Password', 'p@ss;w="']));
  it('percent-decodes the user name', () => expect(url('postgres://an%20n@h')).toContainEqual(['Username', 'an n']));
  it('takes the last @ as the end of the user info', () =>
    expect(url('postgres://u:p@ss@h/db')).toContainEqual(['Password', 'p@ss']));
  it('keeps a : inside the password', () => expect(url('postgres://u:a:b@h')).toContainEqual(['Password', 'a:b']));
  it('percent-decodes the database', () => expect(url('postgres://h/my%20db')).toContainEqual(['Database', 'my db']));
  it('removes the brackets of an IPv6 host', () => expect(url('postgres://[::1]:5432/db')[0]).toEqual(['Host', '::1']));
  it('decodes a socket directory given as host', () =>
    expect(url('postgres://%2Fvar%2Frun%2Fpostgresql/db')[0]).toEqual(['Host', '/var/run/postgresql']));
  it('leaves out a missing port', () =>
    expect(url('postgres://h/db').map(([keyword]) => keyword)).toEqual(['Host', 'Database']));
  it('leaves out a missing host', () => expect(url('postgres:///db')).toEqual([['Database', 'db']]));
  it('leaves out an empty database', () => expect(url('postgres://h/')).toEqual([['Host', 'h']]));
  it('leaves out an empty password', () =>
    expect(url('postgres://u:@h')).toEqual([
      ['Host', 'h'],
      ['Username', 'u'],
    ]));
  it('passes query options through, decoded', () =>
    expect(url('postgres://h?application_name=my%20app&options=-c+x%3Dy')).toEqual([
      ['Host', 'h'],
      ['application_name', 'my app'],
      ['options', '-c x=y'],
    ]));
  it('passes repeated query options through in order', () =>
    expect(url('postgres://h?a=1&a=2').slice(1)).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]));
  it('keeps an option without value as the empty string', () =>
    expect(url('postgres://h?flag').slice(1)).toEqual([['flag', '']]));
  it('trims surrounding white space', () => expect(url('  postgres://h  ')).toEqual([['Host', 'h']]));
  it('accepts a listed scheme in any case', () =>
    expect(url('PostgreSQL://h', { ...MAP, schemes: ['postgres', 'postgresql'] })).toEqual([['Host', 'h']]));
  it('feeds a strict builder, synonyms and validation included', () => {
    const keywords = defineKeywords(COMMON_KEYWORDS, [
      { name: 'Host', type: 'string' },
      { name: 'Port', type: 'integer', min: 1, max: 65535 },
      { name: 'Database', type: 'string' },
      { name: 'Username', type: 'string' },
    ]);
    const builder = new DbConnectionStringBuilder(undefined, keywords);
    for (const [keyword, value] of url('postgres://ann:s%3Bcret@h:5433/shop?Max%20Pool%20Size=5&async=yes'))
      builder.set(keyword, value);
    expect(builder.connectionString).toBe(
      'Host=h;Port=5433;Database=shop;Username=ann;Password="s;cret";Max Pool Size=5;Asynchronous Processing=yes',
    );
    expect(String(builder)).not.toContain('cret');
  });
});

describe('parseConnectionUrl: errors', () => {
  it('throws a ConnectionStringError for text that is not a URL', () => {
    const error = failure('Host=h');
    expect(error).toBeInstanceOf(ConnectionStringError);
    expect(error.message).toBe("Invalid connection URL: expected 'scheme://' at the start.");
  });
  it('rejects an unlisted scheme, naming it', () =>
    expect(failure('mysql://h', { ...MAP, schemes: ['postgres'] }).message).toBe(
      "Invalid connection URL: unsupported scheme 'mysql'; expected 'postgres'.",
    ));
  it('rejects a port that is not a number', () =>
    expect(failure('postgres://u:pw@h:abc/db').message).toContain('the port is not a number'));
  it('rejects a port above 65535', () =>
    expect(failure('postgres://h:99999/db').message).toContain('the port is not a number'));
  it('rejects an unencoded / in the password without showing it', () => {
    const error = failure('postgres://ann:se/cr3t@h/db');
    expect(error.message).toContain('must be percent-encoded');
    expect(error.message).not.toContain('cr3t');
  });
  it('rejects a bad percent-encoding in the password without showing it', () => {
    const error = failure('postgres://ann:s3cr%zzet@h/db');
    expect(error.message).toBe('Invalid connection URL: the password is not valid percent-encoding.');
  });
  it('rejects a bad percent-encoding in the database', () =>
    expect(failure('postgres://h/%E0%A4%A').message).toContain('the database is not valid percent-encoding'));
  it('rejects a # fragment without showing it', () => {
    const error = failure('postgres://ann:s3c#r3t@h/db');
    expect(error.message).not.toMatch(/s3c|r3t/);
  });
  it('rejects a fragment after the database', () =>
    expect(failure('postgres://h/db#x').message).toContain("'#' fragment"));
  it('rejects a URL the WHATWG parser refuses', () =>
    expect(failure('postgres://h o/db').message).toContain('cannot be parsed'));
  it('keeps no cause (node keeps the whole input, password included, on its error)', () => {
    const error = failure('postgres://ann:se/cr3t@h:x/db');
    expect(error.cause).toBeUndefined();
    expect(inspect(error)).not.toContain('cr3t');
  });
});
