import type { MysqlCommand, MysqlField } from './mysql-driver.js';

/** The part of a running mysql2 command that picks its row parser; read right after `fields` is emitted. */
interface CommandWithOptions {
  readonly options?: { disableEval?: boolean };
}

/** True for a name mysql2's generated row parsers may refuse: every name beginning with two underscores. */
function refusedByGeneratedParser(name: string): boolean {
  return name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95;
}

/**
 * Makes a command read its rows with mysql2's static parser when a column name would make the generated one throw.
 *
 * mysql2 compiles a row parser per result shape and, while compiling, refuses the names of `Object.prototype`'s
 * special members (`__proto__`, `__defineGetter__`, `__lookupSetter__`…) even with `rowsAsArray`, where names are
 * never used as keys; the exception kills the session. Its static parser (`disableEval`) reads rows as arrays
 * without looking at names, and produces the same values. mysql2 builds the parser synchronously right after it
 * emits `fields`, from the command's own options object, so setting `disableEval` there in the `fields` listener
 * switches this one result set only. Every name starting with `__` takes this path (rare, and it also covers names
 * a later mysql2 adds to its list); other statements keep the generated parser, which is faster.
 */
export function chooseRowParser(command: MysqlCommand, fields: readonly MysqlField[]): void {
  if (!needsStaticParser(fields)) return;
  const options = (command as CommandWithOptions).options;
  if (options !== undefined) options.disableEval = true;
}

/** True when mysql2's generated row parser may refuse one of the column names: its static parser must read them. */
export function needsStaticParser(fields: readonly MysqlField[]): boolean {
  for (let i = 0; i < fields.length; i += 1) {
    if (refusedByGeneratedParser(fields[i]!.name)) return true;
  }
  return false;
}
