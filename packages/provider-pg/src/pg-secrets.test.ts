import { describe, expect, it } from 'vitest';
import { PgConnectionStringBuilder } from './pg-connection-string-builder.js';
import { pgSecrets } from './pg-secrets.js';

describe('pgSecrets', () => {
  it('is the password, under any of its synonyms', () => {
    expect(pgSecrets(new PgConnectionStringBuilder('Host=h;Password=s3cret'))).toEqual(['s3cret']);
    expect(pgSecrets(new PgConnectionStringBuilder('Host=h;PWD=s3cret'))).toEqual(['s3cret']);
  });

  it('is empty without a password or with an empty one (nothing to blank out)', () => {
    expect(pgSecrets(new PgConnectionStringBuilder('Host=h'))).toEqual([]);
    expect(pgSecrets(new PgConnectionStringBuilder('Host=h;Password='))).toEqual([]);
  });
});
