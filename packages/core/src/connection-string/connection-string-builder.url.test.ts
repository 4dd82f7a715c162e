import { describe, expect, it } from 'vitest';
import { DbConnectionStringBuilder } from './connection-string-builder.js';
import { COMMON_KEYWORDS, defineKeywords } from './connection-string-keywords.js';
import { parseConnectionUrl } from './url-connection-string.js';
import { ConnectionStringError } from '../errors/errors.js';

const KEYWORDS = defineKeywords(COMMON_KEYWORDS, [
  { name: 'Host', type: 'string' },
  { name: 'Port', type: 'integer', min: 1, max: 65535 },
  { name: 'Database', type: 'string' },
  { name: 'Username', type: 'string' },
]);

class UrlBuilder extends DbConnectionStringBuilder {
  constructor(connectionString?: string) {
    super(connectionString, KEYWORDS);
  }
  protected override urlToPairs(url: string): Array<[string, string]> {
    return parseConnectionUrl(url, {
      host: 'Host',
      port: 'Port',
      database: 'Database',
      user: 'Username',
      password: 'Password',
    });
  }
}

describe('the urlToPairs hook', () => {
  it('turns a URL into validated keywords', () => {
    const builder = new UrlBuilder('db://ann:s3cret@example.org:5433/shop?Max%20Pool%20Size=7');
    expect(builder.getString('Host')).toBe('example.org');
    expect(builder.getInteger('Port')).toBe(5433);
    expect(builder.getInteger('Max Pool Size')).toBe(7);
    expect(builder.toString()).not.toContain('s3cret');
  });

  it('keeps the previous content when a URL names an unknown option or a bad value', () => {
    const builder = new UrlBuilder('Host=a');
    expect(() => (builder.connectionString = 'db://b/shop?nonsense=1')).toThrow(ConnectionStringError);
    expect(() => (builder.connectionString = 'db://b:99999/shop')).toThrow(ConnectionStringError);
    expect(builder.connectionString).toBe('Host=a');
  });

  it('is off by default: the base builder rejects a URL as malformed pairs', () => {
    expect(() => new DbConnectionStringBuilder('db://a/b', KEYWORDS)).toThrow(ConnectionStringError);
  });
});
