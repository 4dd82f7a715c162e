import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['postgres://user:secret@127.0.0.1:5432/db', 'postgres://user:*****@127.0.0.1:5432/db'],
    ['mysql://root:pa%40ss@db.example:3306/test?ssl=true', 'mysql://root:*****@db.example:3306/test?ssl=true'],
    // an unencoded '@' in the password: the last '@' before the path ends the userinfo
    ['postgres://u:p@ss@host/db', 'postgres://u:*****@host/db'],
    ['postgres://u:s3cret@h1:5432,h2:5433/db', 'postgres://u:*****@h1:5432,h2:5433/db'],
    ['postgres://host/db?user=u&password=s3cret&sslmode=disable', 'postgres://host/db?user=u&password=*****&sslmode=disable'],
    ['mssql://sa@host/db?PWD=s3cret', 'mssql://sa@host/db?PWD=*****'],
    ['Server=tcp:host,1433;User Id=sa;Password=s3cret;Encrypt=true', 'Server=tcp:host,1433;User Id=sa;Password=*****;Encrypt=true'],
  ])('hides the password in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    'mysql://root@127.0.0.1:3306/test',
    'postgres://user:@127.0.0.1/db',
    'postgres://127.0.0.1:5432/db',
    'postgres://user@host/db?application_name=a:b@c',
    'not a url',
    '',
  ])('leaves %j unchanged because it holds no password', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
