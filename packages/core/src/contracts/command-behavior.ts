/**
 * Flags that shape what a reader returns. Mirrors `System.Data.CommandBehavior` (same bit values),
 * so flags combine with `|`: `CommandBehavior.SingleRow | CommandBehavior.CloseConnection`.
 */
export const CommandBehavior = {
  Default: 0,
  SingleResult: 0x01,
  SchemaOnly: 0x02,
  KeyInfo: 0x04,
  SingleRow: 0x08,
  SequentialAccess: 0x10,
  CloseConnection: 0x20,
} as const;
/** A combination of {@link CommandBehavior} flags (0 to 0x3F). */
export type CommandBehavior = number;

/** Every flag set: a behavior with any other bit is invalid. */
export const COMMAND_BEHAVIOR_MASK = 0x3f;

/** True when `behavior` has every bit of `flag`. */
export function hasBehavior(behavior: CommandBehavior, flag: number): boolean {
  return (behavior & flag) === flag;
}
