/** How long an external server gets to connect and answer `SELECT 1` before it counts as unreachable. */
export const PROBE_TIMEOUT_MS = 5_000;
