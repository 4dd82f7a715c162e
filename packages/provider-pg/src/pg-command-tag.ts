/**
 * The rows a CommandComplete tag reports as changed, or undefined for statements that are not DML. As in ADO.NET,
 * only INSERT, UPDATE, DELETE and MERGE count towards `recordsAffected` (a SELECT's row count does not).
 */
export function affectedRowsOfTag(tag: string): number | undefined {
  const match = /^(INSERT|UPDATE|DELETE|MERGE)(?: \d+)? (\d+)$/.exec(tag);
  return match ? Number(match[2]) : undefined;
}
