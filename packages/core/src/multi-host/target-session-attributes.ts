/**
 * Which server of a multi-host data source a connection may use (libpq's and Npgsql's `Target Session Attributes`).
 * `prefer-*` fall back to any server when none has the preferred role.
 */
export const TargetSessionAttributes = {
  Any: 'any',
  Primary: 'primary',
  Standby: 'standby',
  PreferPrimary: 'prefer-primary',
  PreferStandby: 'prefer-standby',
  ReadWrite: 'read-write',
  ReadOnly: 'read-only',
} as const;
/** One of the {@link TargetSessionAttributes} values. */
export type TargetSessionAttributes = (typeof TargetSessionAttributes)[keyof typeof TargetSessionAttributes];

/** The spellings a connection string accepts, in the order documentation lists them. */
export const TARGET_SESSION_ATTRIBUTE_VALUES: readonly TargetSessionAttributes[] = Object.freeze(
  Object.values(TargetSessionAttributes),
);

/** What a server was found to be. */
export interface HostRole {
  /** In recovery (a hot standby), as `pg_is_in_recovery()` or `in_hot_standby` say. */
  readonly standby: boolean;
  /** Sessions are read-only by default (`default_transaction_read_only`, or a standby). */
  readonly readOnly: boolean;
}

/**
 * Whether a server of `role` satisfies `target` in the given pass: pass 1 looks for the preferred role only, pass 2
 * (which only `prefer-*` have) accepts any server.
 */
export function roleSatisfies(target: TargetSessionAttributes, role: HostRole, pass: 1 | 2): boolean {
  switch (target) {
    case 'any':
      return true;
    case 'primary':
      return !role.standby;
    case 'standby':
      return role.standby;
    case 'read-write':
      return !role.readOnly;
    case 'read-only':
      return role.readOnly;
    case 'prefer-primary':
      return pass === 2 || !role.standby;
    case 'prefer-standby':
      return pass === 2 || role.standby;
  }
}

/** How many passes over the host list `target` takes: two for `prefer-*`, else one. */
export function passesOf(target: TargetSessionAttributes): 1 | 2 {
  return target === 'prefer-primary' || target === 'prefer-standby' ? 2 : 1;
}
