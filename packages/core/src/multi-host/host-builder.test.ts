import { describe, expect, it } from 'vitest';
import { COMMON_KEYWORDS, defineKeywords } from '../index.js';
import { DbConnectionStringBuilder } from '../connection-string/connection-string-builder.js';
import { builderForHost, type HostBuilderSpec } from './host-builder.js';

const KEYWORDS = defineKeywords(COMMON_KEYWORDS, [
  { name: 'Server', type: 'string', description: 'hosts' },
  { name: 'Port', type: 'integer', description: 'port' },
  { name: 'Load Balance', type: 'string', description: 'order' },
]);

const spec: HostBuilderSpec<DbConnectionStringBuilder> = {
  hostKeyword: 'Server',
  portKeyword: 'Port',
  listKeywords: ['Load Balance'],
  create: (text) => new DbConnectionStringBuilder(text, KEYWORDS),
};

describe('builderForHost', () => {
  it('gives one host its own connection string: that host and port, the list-only keywords removed', () => {
    const builder = spec.create('Server=a,b:3307;Load Balance=Random;Max Pool Size=7');
    const perHost = builderForHost(builder, { host: 'b', port: 3307 }, spec);
    expect(perHost.get('Server')).toBe('b');
    expect(perHost.getInteger('Port')).toBe(3307);
    expect(perHost.containsKey('Load Balance')).toBe(false);
    expect(perHost.getInteger('Max Pool Size')).toBe(7);
    // The list's builder is not changed.
    expect(builder.get('Server')).toBe('a,b:3307');
  });

  it('returns the same builder for the same list and host (an open must not parse again)', () => {
    const builder = spec.create('Server=a,b');
    expect(builderForHost(builder, { host: 'a', port: 1 }, spec)).toBe(
      builderForHost(builder, { host: 'a', port: 1 }, spec),
    );
    expect(builderForHost(builder, { host: 'a', port: 1 }, spec)).not.toBe(
      builderForHost(builder, { host: 'b', port: 1 }, spec),
    );
  });
});
