import { describe, expect, it } from 'vitest';
import { endsSession } from './mysql-session-ending.js';

describe('endsSession', () => {
  it.each([
    ['1153 packet too large (08S01)', { errno: 1153, sqlState: '08S01' }],
    ['1053 server shutdown (08S01)', { errno: 1053, sqlState: '08S01' }],
    ['1927 connection killed (70100)', { errno: 1927, sqlState: '70100' }],
    ['4031 idle timeout (HY000)', { errno: 4031, sqlState: 'HY000' }],
    ['a fatal client error', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }],
  ])('%s ends the session', (_name, error) => {
    expect(endsSession(error)).toBe(true);
  });

  it.each([
    ['1317 query interrupted (70100)', { errno: 1317, sqlState: '70100' }],
    ['1064 syntax', { errno: 1064, sqlState: '42000' }],
    ['1062 duplicate', { errno: 1062, sqlState: '23000' }],
    ['not an object', 'boom'],
  ])('%s does not', (_name, error) => {
    expect(endsSession(error)).toBe(false);
  });
});
