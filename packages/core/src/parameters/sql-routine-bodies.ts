/**
 * Where a `;` ends a statement in PostgreSQL text that defines a routine with an SQL-standard body
 * (`CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC …; …; END`, PostgreSQL 14+): the `;` inside the body do not
 * end the statement. Follows psql's own heuristic (its lexer, `psqlscan.l`): in a statement that starts with
 * `CREATE [OR REPLACE] FUNCTION|PROCEDURE`, bare words outside parentheses count `BEGIN` up, `CASE` up when already
 * inside a `BEGIN`, and `END` down; a `;` ends the statement only at depth 0. A body in a dollar-quoted string
 * (`AS $$ … $$`) is opaque to the scanner already.
 * @internal
 */
export interface RoutineBodyState {
  /**
   * How far the statement's first words match `CREATE [OR REPLACE] FUNCTION|PROCEDURE`: 0 none read, 1 after
   * `CREATE`, 2 after `CREATE OR`, 3 after `CREATE OR REPLACE`, {@link ROUTINE} matched, -1 not a routine definition.
   */
  head: number;
  /** Open `BEGIN` (and `CASE` inside one) not yet closed by `END`. */
  depth: number;
  /** Open parentheses: words inside them are not counted (`RETURNS TABLE (begin int)`). */
  parens: number;
}

const ROUTINE = 9;
const WORD = /^[A-Za-z]+$/;

/** The state at the start of a statement. */
export function newRoutineBodyState(): RoutineBodyState {
  return { head: 0, depth: 0, parens: 0 };
}

/** Feeds the bare word `text[start, end)`. */
export function routineWord(state: RoutineBodyState, text: string, start: number, end: number): void {
  if (state.head < 0 || end - start > 9 || end - start < 2) {
    if (state.head >= 0 && state.head !== ROUTINE) state.head = -1;
    return;
  }
  const word = text.slice(start, end);
  if (!WORD.test(word)) {
    if (state.head !== ROUTINE) state.head = -1;
    return;
  }
  const upper = word.toUpperCase();
  const routine = upper === 'FUNCTION' || upper === 'PROCEDURE';
  switch (state.head) {
    case 0:
      state.head = upper === 'CREATE' ? 1 : -1;
      return;
    case 1:
      state.head = routine ? ROUTINE : upper === 'OR' ? 2 : -1;
      return;
    case 2:
      state.head = upper === 'REPLACE' ? 3 : -1;
      return;
    case 3:
      state.head = routine ? ROUTINE : -1;
      return;
    default:
      if (state.parens > 0) return;
      if (upper === 'BEGIN') state.depth++;
      else if (upper === 'CASE') state.depth += state.depth >= 1 ? 1 : 0;
      else if (upper === 'END' && state.depth > 0) state.depth--;
  }
}

/**
 * Whether the statement's words still matter: false once its first words showed it is no routine definition, so the
 * scanner need not classify the rest of them (nor its parentheses) until the next `;`.
 */
export function routineReadsWords(state: RoutineBodyState): boolean {
  return state.head >= 0;
}

/** Feeds a `(` (+1) or `)` (-1). */
export function routineParenthesis(state: RoutineBodyState, change: 1 | -1): void {
  if (state.head === ROUTINE) state.parens = Math.max(0, state.parens + change);
}

/**
 * Feeds a top-level `;`: whether it ends the statement (false inside a routine body). When it does, the state is
 * reset for the next statement.
 */
export function routineSemicolon(state: RoutineBodyState): boolean {
  if (state.depth > 0) return false;
  state.head = 0;
  state.parens = 0;
  return true;
}
