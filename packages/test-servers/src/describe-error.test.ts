import { describe, expect, it } from 'vitest';
import { describeError, passwordOf } from './describe-error.js';

describe('describeError', () => {
  it('uses the message of an Error and blanks out secrets', () => {
    expect(describeError(new Error('password s3cret rejected'), ['s3cret'])).toBe('password ***** rejected');
  });

  it('lists the parts of an AggregateError without a message', () => {
    const refused = Object.assign(new Error(''), { code: 'ECONNREFUSED' });
    const error = new AggregateError([new Error('connect ECONNREFUSED ::1:1'), refused], '');
    expect(describeError(error)).toBe('connect ECONNREFUSED ::1:1; ECONNREFUSED');
  });

  it('describes non-errors', () => {
    expect(describeError('boom')).toBe('boom');
  });
});

describe('passwordOf', () => {
  it('returns the decoded password of a URL', () => {
    expect(passwordOf('postgres://u:p%40ss@h/db')).toBe('p@ss');
  });

  it('returns an empty string when there is no password or no URL', () => {
    expect(passwordOf('mysql://root@127.0.0.1/test')).toBe('');
    expect(passwordOf('not a url')).toBe('');
  });
});
