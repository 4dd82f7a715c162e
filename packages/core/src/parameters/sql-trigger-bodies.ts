/**
 * Where a `;` ends a statement in SQLite text, following the token state machine of SQLite's `sqlite3_complete()`:
 * after `CREATE [TEMP|TEMPORARY] TRIGGER` (optionally after `EXPLAIN`), the `;` of the trigger body (`BEGIN …; …;
 * END`) do not end the statement; the `;` after an `END` that directly follows a `;` does. SQLite itself reads the
 * text the same way (its shell uses `sqlite3_complete()` to tell where a statement ends), so a trigger reaches the
 * engine whole instead of failing with "incomplete input".
 * @internal
 */

/** A token class of the state machine: white space and comments change no state and are never fed. */
export const TriggerToken = {
  Semicolon: 0,
  Other: 1,
  Explain: 2,
  Create: 3,
  Temp: 4,
  Trigger: 5,
  End: 6,
} as const;
/** One of the {@link TriggerToken} values. */
export type TriggerToken = (typeof TriggerToken)[keyof typeof TriggerToken];

/** The state before any token, and after a `;` that ends a statement. */
export const TRIGGER_START = 0;
/** The state of a statement that does not define a trigger: only a `;` leaves it. */
const NORMAL = 1;
/** The state inside a trigger body, away from its last `;`: only a `;` leaves it. */
const IN_BODY = 4;
/** The state after a `;` inside a trigger body: the only state a `;` leads to that does not end the statement. */
const IN_BODY_AFTER_SEMICOLON = 5;

// States: 0 start, 1 normal, 2 after EXPLAIN, 3 after CREATE [TEMP], 4 in a trigger, 5 after a `;` in a trigger,
// 6 after `; END` in a trigger. Columns follow TriggerToken: `;`, other, EXPLAIN, CREATE, TEMP, TRIGGER, END.
const TRANSITIONS: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 1, 1, 1],
  [0, 1, 1, 1, 1, 1, 1],
  [0, 1, 1, 3, 1, 1, 1],
  [0, 1, 1, 1, 3, 4, 1],
  [5, 4, 4, 4, 4, 4, 4],
  [5, 4, 4, 4, 4, 4, 6],
  [0, 4, 4, 4, 4, 4, 4],
];

/** The state after `token` in `state`. */
export function afterTriggerToken(state: number, token: TriggerToken): number {
  return TRANSITIONS[state]![token]!;
}

/**
 * Whether a token other than `;` can change `state`: false in a statement already known not to define a trigger (1)
 * and inside a trigger body away from its last `;` (4), where only the next `;` matters, so the scanner need not
 * classify the words in between.
 */
export function triggerStateReadsTokens(state: number): boolean {
  return state !== NORMAL && state !== IN_BODY;
}

/** Whether the `;` that led to `state` (the state after it) is inside a trigger body rather than a statement's end. */
export function isInsideTriggerBody(state: number): boolean {
  return state === IN_BODY_AFTER_SEMICOLON;
}

const ASCII_LETTERS = /^[A-Za-z]+$/;

/** The token class of the bare word `text[start, end)`: one of the keywords the state machine knows, or other. */
export function wordToken(text: string, start: number, end: number): TriggerToken {
  const length = end - start;
  if (length < 3 || length > 9) return TriggerToken.Other;
  const word = text.slice(start, end);
  // SQLite folds ASCII case only: `ı` (dotless i) must not make `trıgger` the keyword TRIGGER.
  if (!ASCII_LETTERS.test(word)) return TriggerToken.Other;
  switch (word.toUpperCase()) {
    case 'EXPLAIN':
      return TriggerToken.Explain;
    case 'CREATE':
      return TriggerToken.Create;
    case 'TEMP':
    case 'TEMPORARY':
      return TriggerToken.Temp;
    case 'TRIGGER':
      return TriggerToken.Trigger;
    case 'END':
      return TriggerToken.End;
    default:
      return TriggerToken.Other;
  }
}
