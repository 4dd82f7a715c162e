import type { StatementRequest } from '@asyncdb/core';
import { sqlWords } from './mysql-sql-words.js';
import { textFacts } from './mysql-text-facts.js';

/** Words after END that close a construct this module does not count (only BEGIN and CASE are counted). */
const UNCOUNTED_ENDS = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * How much a piece of SQL changes the BEGIN … END / CASE … END nesting depth. A `BEGIN` that is the whole
 * statement, or `BEGIN WORK`, starts a transaction rather than a block; `XA BEGIN` is XA.
 */
export function blockDepthChange(text: string): number {
  const words = sqlWords(text);
  let depth = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === 'BEGIN') {
      const next = words[i + 1];
      const startsTransaction = (i === 0 && (next === undefined || next === 'WORK')) || words[i - 1] === 'XA';
      if (!startsTransaction) depth++;
    } else if (word === 'CASE') {
      depth++;
    } else if (word === 'END') {
      const next = words[i + 1];
      if (next !== undefined && UNCOUNTED_ENDS.has(next)) {
        i++;
      } else {
        if (next === 'CASE') i++;
        depth--;
      }
    }
  }
  return depth;
}

/**
 * Core splits command text at every top-level `;`, which also cuts the body of a compound statement
 * (`CREATE PROCEDURE … BEGIN …; …; END`, `BEGIN NOT ATOMIC …; END`, triggers, events) into pieces. This glues such
 * pieces back together, following BEGIN … END nesting, so the server receives the compound statement whole.
 * Parameters stay in order, so `?` markers still match their values.
 */
export function joinCompoundStatements(statements: readonly StatementRequest[]): readonly StatementRequest[] {
  // Nothing to join (the usual case) unless some statement mentions BEGIN or CASE: the list is returned as it is.
  if (!statements.some((statement) => textFacts(statement.text).mentionsBlock)) return statements;
  const joined: StatementRequest[] = [];
  let open: { text: string; parameters: StatementRequest['parameters'][number][] } | undefined;
  let depth = 0;
  for (const statement of statements) {
    const change = blockDepthChange(statement.text);
    if (open) {
      open.text += `;\n${statement.text}`;
      open.parameters.push(...statement.parameters);
      depth += change;
      if (depth <= 0) {
        joined.push(open);
        open = undefined;
      }
    } else if (change > 0) {
      open = { text: statement.text, parameters: [...statement.parameters] };
      depth = change;
    } else {
      joined.push(statement);
    }
  }
  if (open) joined.push(open);
  return joined;
}
