import type { DbCommand, DbConnection } from '@asyncdb/core';

/** Parameter values by name (with or without `@`), added to a command with `addWithValue`. */
export type ParameterValues = Readonly<Record<string, unknown>>;

/** A command for `sql` on `connection` with `parameters` added. */
function commandOf(connection: DbConnection, sql: string, parameters: ParameterValues): DbCommand {
  const command = connection.createCommand(sql);
  for (const [name, value] of Object.entries(parameters)) command.parameters.addWithValue(name, value);
  return command;
}

/** Runs a query and resolves its first value (`executeScalar`), typed as the caller expects it. */
export async function scalar<T = unknown>(
  connection: DbConnection,
  sql: string,
  parameters: ParameterValues = {},
): Promise<T> {
  return (await commandOf(connection, sql, parameters).executeScalar()) as T;
}

/** Runs a statement for its effect and resolves the rows affected (`executeNonQuery`). */
export async function execute(
  connection: DbConnection,
  sql: string,
  parameters: ParameterValues = {},
): Promise<number> {
  return commandOf(connection, sql, parameters).executeNonQuery();
}

/** Runs a query and resolves every row of its first result, each as the array of its values. */
export async function rows(
  connection: DbConnection,
  sql: string,
  parameters: ParameterValues = {},
): Promise<unknown[][]> {
  const result: unknown[][] = [];
  await using reader = await commandOf(connection, sql, parameters).executeReader();
  while (await reader.read()) result.push(reader.getValues());
  return result;
}
