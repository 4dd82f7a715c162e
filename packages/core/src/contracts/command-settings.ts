import { CommandType } from './command-type.js';
import { MAX_TIMEOUT_SECONDS } from '../connection-string/connection-string-keywords.js';
import { ArgumentError } from '../errors/errors.js';

/**
 * The checks `DbCommand`, `DbBatch` and `DbBatchCommand` make on their settings, in one place so they cannot drift.
 * @internal
 */

/** Returns `type`, or throws ArgumentError when it is not a {@link CommandType}. */
export function checkedCommandType(type: CommandType): CommandType {
  if (!Object.values(CommandType).includes(type))
    throw new ArgumentError(`The CommandType value '${String(type)}' is invalid.`, 'commandType');
  return type;
}

/**
 * Returns `seconds`, or throws ArgumentError naming `property` (`CommandTimeout`, `Timeout`) when it is not a finite
 * number from 0 to Int32.MaxValue, ADO.NET's range. Fractions of a second are accepted (JavaScript has one number
 * type; the deadline wheel serves them at its documented precision).
 */
export function checkedTimeoutSeconds(seconds: number, property: string): number {
  const paramName = property.charAt(0).toLowerCase() + property.slice(1);
  if (typeof seconds !== 'number') {
    // A string such as '30' from a config file: say what was wrong instead of "must be >= 0", and never coerce it.
    throw new ArgumentError(
      `Invalid ${property} value of type ${seconds === null ? 'null' : typeof seconds}; it must be a number of seconds.`,
      paramName,
    );
  }
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new ArgumentError(`Invalid ${property} value ${seconds}; the value must be >= 0.`, paramName);
  }
  if (seconds > MAX_TIMEOUT_SECONDS) {
    throw new ArgumentError(
      `Invalid ${property} value ${seconds}; the value must be <= ${MAX_TIMEOUT_SECONDS} (Int32.MaxValue seconds).`,
      paramName,
    );
  }
  return seconds;
}
