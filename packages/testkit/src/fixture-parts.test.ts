import { describe, expect, it } from 'vitest';
import { ALWAYS } from './capability-gate.js';
import type { ConformanceFixture } from './conformance-fixture.js';
import {
  fixtureGate,
  FIXTURE_PARTS,
  isNotAvailable,
  notAvailable,
  requirePart,
  sessionRecipes,
} from './fixture-parts.js';

/** A fixture of a networked engine that has every part (only the parts the gates read matter here). */
const networked = {
  engine: 'Example',
  keywords: { host: 'Host', port: 'Port', database: 'Database', user: 'User', password: 'Password' },
  sql: {
    sleep: (seconds: number) => `SELECT sleep(${seconds})`,
    busy: 'SELECT busy()',
    generateRows: () => 'SELECT 1',
    infoMessage: 'NOTICE',
  },
  session: { currentSessionId: 'SELECT id()', activeStatement: () => 'SELECT q()', kill: () => 'KILL' },
  sessionState: { change: 'SET x = 1', read: 'SHOW x' },
} as unknown as ConformanceFixture;

/** The same engine in-process: everything a network server has is declared not available. */
const embedded = {
  ...networked,
  keywords: notAvailable('no login'),
  sql: { ...networked.sql, sleep: notAvailable('no sleep'), infoMessage: notAvailable('no notices'), busy: undefined },
  session: notAvailable('no sessions'),
  deadlock: notAvailable('database locks only'),
  sessionState: notAvailable('no reset'),
} as unknown as ConformanceFixture;

describe('fixtureGate', () => {
  it('is open for every part a networked fixture gives (the portable deadlock when none is given)', () => {
    for (const part of FIXTURE_PARTS) expect(fixtureGate(networked, part), part).toEqual(ALWAYS);
  });

  it('is closed with the fixture path and its reason for a part declared not available', () => {
    expect(fixtureGate(embedded, 'networkLogin')).toEqual({
      supported: false,
      reason: 'fixture.keywords (host, port, user, password): no login',
    });
    expect(fixtureGate(embedded, 'sleep')).toEqual({ supported: false, reason: 'fixture.sql.sleep: no sleep' });
    expect(fixtureGate(embedded, 'notices')).toEqual({
      supported: false,
      reason: 'fixture.sql.infoMessage: no notices',
    });
    expect(fixtureGate(embedded, 'rowDeadlocks')).toEqual({
      supported: false,
      reason: 'fixture.deadlock: database locks only',
    });
    expect(fixtureGate(embedded, 'sessionReset')).toEqual({
      supported: false,
      reason: 'fixture.sessionState: no reset',
    });
  });

  it('closes serverKill with the session reason when the fixture has no sessions at all', () => {
    expect(fixtureGate(embedded, 'sessionIds').supported).toBe(false);
    expect(fixtureGate(embedded, 'serverKill')).toEqual({
      supported: false,
      reason: 'fixture.session.kill: no sessions',
    });
  });

  it('closes serverKill alone when the sessions are visible but cannot be ended', () => {
    const fixture = {
      ...networked,
      session: { ...sessionRecipes(networked), kill: notAvailable('no kill') },
    } as ConformanceFixture;
    expect(fixtureGate(fixture, 'sessionIds')).toEqual(ALWAYS);
    expect(fixtureGate(fixture, 'serverKill')).toEqual({ supported: false, reason: 'fixture.session.kill: no kill' });
  });

  it('closes sessionPerConnection with its reason when connections share sessions (multiplexing)', () => {
    const multiplexed = {
      ...networked,
      sessionPerConnection: notAvailable('open() takes no session'),
    } as ConformanceFixture;
    expect(fixtureGate(multiplexed, 'sessionPerConnection')).toEqual({
      supported: false,
      reason: 'fixture.sessionPerConnection: open() takes no session',
    });
    expect(fixtureGate(multiplexed, 'sessionIds')).toEqual(ALWAYS);
  });

  it('is closed saying the part is missing when an optional recipe is omitted', () => {
    expect(fixtureGate(embedded, 'busyStatement')).toEqual({
      supported: false,
      reason: 'fixture.sql.busy is not given by the fixture',
    });
  });
});

describe('notAvailable', () => {
  it('needs a reason', () => {
    expect(() => notAvailable(' ')).toThrow(/reason/);
  });

  it('is recognised, and a recipe is not', () => {
    expect(isNotAvailable(notAvailable('why'))).toBe(true);
    expect(isNotAvailable('SELECT 1')).toBe(false);
    expect(isNotAvailable(null)).toBe(false);
  });
});

describe('requirePart', () => {
  it('returns the recipe and throws naming the part when it is not available', () => {
    expect(requirePart('SELECT 1', 'sql.busy')).toBe('SELECT 1');
    expect(() => requirePart(notAvailable('no'), 'sql.busy')).toThrow('The fixture gives no sql.busy.');
    expect(() => requirePart(undefined, 'sql.busy')).toThrow('The fixture gives no sql.busy.');
  });
});
