import { describe, expect, it } from 'vitest';
import { ArgumentError, InvalidOperationError, NotSupportedError } from '../errors/errors.js';
import { MemoryProviderFactory } from '../testing/memory-provider.js';
import { roleSatisfies, type TargetSessionAttributes } from './target-session-attributes.js';

const PRIMARY = { standby: false, readOnly: false };
const STANDBY = { standby: true, readOnly: true };
const READ_ONLY_PRIMARY = { standby: false, readOnly: true };

describe('roleSatisfies', () => {
  it.each<[TargetSessionAttributes, boolean, boolean, boolean]>([
    ['any', true, true, true],
    ['primary', true, false, true],
    ['standby', false, true, false],
    ['read-write', true, false, false],
    ['read-only', false, true, true],
    ['prefer-primary', true, false, true],
    ['prefer-standby', false, true, false],
  ])('%s in the first pass: primary %s, standby %s, read-only primary %s', (target, primary, standby, readOnly) => {
    expect([
      roleSatisfies(target, PRIMARY, 1),
      roleSatisfies(target, STANDBY, 1),
      roleSatisfies(target, READ_ONLY_PRIMARY, 1),
    ]).toEqual([primary, standby, readOnly]);
  });

  it('prefer-* accept any role in the second pass', () => {
    expect(roleSatisfies('prefer-standby', PRIMARY, 2)).toBe(true);
    expect(roleSatisfies('prefer-primary', STANDBY, 2)).toBe(true);
  });
});

describe('DbConnection.targetSessionAttributes', () => {
  const factory = new MemoryProviderFactory();

  it('is refused with NotSupportedError by a provider without roles (never silently ignored), any is allowed', () => {
    expect(() => factory.createConnection(undefined, { targetSessionAttributes: 'standby' })).toThrow(
      NotSupportedError,
    );
    expect(factory.createConnection(undefined, { targetSessionAttributes: 'any' }).targetSessionAttributes).toBe('any');
  });

  it('rejects an unknown value with ArgumentError', () => {
    const connection = factory.createConnection();
    expect(() => {
      connection.targetSessionAttributes = 'secondary' as TargetSessionAttributes;
    }).toThrow(ArgumentError);
  });

  it('cannot change while the connection is open', async () => {
    const connection = factory.createConnection('Database=memory');
    await connection.open();
    expect(connection.state).toBe('Open');
    expect(() => {
      connection.targetSessionAttributes = 'any';
    }).toThrow(InvalidOperationError);
    await connection.close();
  });
});
