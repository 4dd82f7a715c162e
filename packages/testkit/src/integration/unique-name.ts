/** A name no other test file or process uses at the same time (`${prefix}_${pid}_${random}`), for tables a test creates. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}
