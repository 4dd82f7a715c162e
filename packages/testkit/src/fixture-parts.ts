import { ALWAYS, unsupported, type Gate } from './capability-gate.js';
import type { ConformanceFixture, ConnectionKeywords, SessionRecipes } from './conformance-fixture.js';

/**
 * What a fixture gives instead of a recipe its engine cannot have, and why: every test needing that part is then
 * reported **unsupported** with this reason, never run with a made-up substitute.
 *
 * ```ts
 * session: notAvailable('SQLite runs in-process: no other connection can see or end a session'),
 * ```
 */
export interface NotAvailable {
  /** Why the engine has no such thing; shown in the report next to every test it closes. */
  readonly unsupported: string;
}

/** A fixture part the engine may lack: the recipe, or {@link NotAvailable} with the reason. */
export type Optional<T> = T | NotAvailable;

/** Declares a fixture part the engine does not have, with the reason the report shows. */
export function notAvailable(reason: string): NotAvailable {
  if (reason.trim() === '') throw new Error('notAvailable needs a reason: the report shows it.');
  return Object.freeze({ unsupported: reason });
}

/** Whether a fixture part was declared {@link NotAvailable}. */
export function isNotAvailable(part: unknown): part is NotAvailable {
  return typeof part === 'object' && part !== null && typeof (part as NotAvailable).unsupported === 'string';
}

/** The optional parts of a fixture, each one gating the tests that need it (the rows of the report name them). */
export const FIXTURE_PARTS = [
  'networkLogin',
  'sessionIds',
  'serverKill',
  'notices',
  'rowDeadlocks',
  'sleep',
  'busyStatement',
  'sessionReset',
  'sessionPerConnection',
] as const;

/** One optional part of a fixture. */
export type FixturePart = (typeof FIXTURE_PARTS)[number];

/** Where each part lives in the fixture, for reasons that name it. */
const PART_PATHS: Readonly<Record<FixturePart, string>> = {
  networkLogin: 'fixture.keywords (host, port, user, password)',
  sessionIds: 'fixture.session',
  serverKill: 'fixture.session.kill',
  notices: 'fixture.sql.infoMessage',
  rowDeadlocks: 'fixture.deadlock',
  sleep: 'fixture.sql.sleep',
  busyStatement: 'fixture.sql.busy',
  sessionReset: 'fixture.sessionState',
  sessionPerConnection: 'fixture.sessionPerConnection',
};

/** The declared value of a part: the recipe, a {@link NotAvailable}, or undefined when the fixture omits it. */
function partOf(fixture: ConformanceFixture, part: FixturePart): unknown {
  const session = isNotAvailable(fixture.session) ? fixture.session : fixture.session.kill;
  switch (part) {
    case 'networkLogin':
      return fixture.keywords;
    case 'sessionIds':
      return fixture.session;
    case 'serverKill':
      return session;
    case 'notices':
      return fixture.sql.infoMessage;
    case 'rowDeadlocks':
      // The portable recipe applies when the fixture says nothing (engines with row locks).
      return fixture.deadlock ?? true;
    case 'sleep':
      return fixture.sql.sleep;
    case 'busyStatement':
      return fixture.sql.busy;
    case 'sessionReset':
      return fixture.sessionState;
    case 'sessionPerConnection':
      // Every open connection holds a session of its own unless the fixture says otherwise.
      return fixture.sessionPerConnection ?? true;
  }
}

/**
 * The gate of the tests needing a fixture part: open when the fixture gives the recipe, closed with the fixture's
 * reason when it declares the part {@link NotAvailable}, and closed saying the part is missing when it omits an
 * optional one (only `sql.busy` may be omitted; the others are required by the type).
 */
export function fixtureGate(fixture: ConformanceFixture, part: FixturePart): Gate {
  const value = partOf(fixture, part);
  if (isNotAvailable(value)) return unsupported(`${PART_PATHS[part]}: ${value.unsupported}`);
  if (value === undefined) return unsupported(`${PART_PATHS[part]} is not given by the fixture`);
  return ALWAYS;
}

/** The part, or an error naming it: for a test body that its gate already opened. */
export function requirePart<T>(part: Optional<T> | undefined, path: string): T {
  if (part === undefined || isNotAvailable(part)) throw new Error(`The fixture gives no ${path}.`);
  return part;
}

/** The network-login keywords; only for tests gated on `networkLogin`. */
export function networkKeywords(fixture: ConformanceFixture): ConnectionKeywords {
  return requirePart(fixture.keywords, 'keywords');
}

/** The session recipes; only for tests gated on `sessionIds`. */
export function sessionRecipes(fixture: ConformanceFixture): SessionRecipes {
  return requirePart(fixture.session, 'session recipes');
}

/** The sleep recipe; only for tests gated on `sleep`. */
export function sleepSql(fixture: ConformanceFixture, seconds: number): string {
  return requirePart(fixture.sql.sleep, 'sql.sleep')(seconds);
}
