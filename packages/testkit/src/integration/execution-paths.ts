import type { DbConnection } from '@asyncdb/core';

/** One SQL shape whose `executeScalar` and `executeNonQuery` outcomes must not depend on the execution path. */
export interface ExecutionPathCase {
  readonly name: string;
  readonly sql: string;
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** What one execution came to: its value or its error's identity (class, category, SQLSTATE, message). */
export type ExecutionOutcome =
  | { readonly value: unknown }
  | { readonly error: { readonly name: string; readonly category?: unknown; readonly sqlState?: unknown; readonly message: string } };

/** What `executeScalar` and `executeNonQuery` of one case came to on one connection. */
export interface ExecutionPathOutcomes {
  readonly scalar: ExecutionOutcome;
  readonly nonQuery: ExecutionOutcome;
}

async function outcomeOf(run: () => Promise<unknown>): Promise<ExecutionOutcome> {
  try {
    return { value: await run() };
  } catch (error) {
    const fields = error as { name?: string; category?: unknown; sqlState?: unknown; message?: string };
    return {
      error: { name: fields.name ?? 'Error', category: fields.category, sqlState: fields.sqlState, message: fields.message ?? String(error) },
    };
  }
}

/**
 * Runs `testCase` with `executeScalar` and then `executeNonQuery` on `connection`. A provider's test runs it on a
 * connection that takes its one-shot path and on one that declines it (core's reader path), and expects equal outcomes.
 */
export async function executionPathOutcomes(connection: DbConnection, testCase: ExecutionPathCase): Promise<ExecutionPathOutcomes> {
  const command = (): ReturnType<DbConnection['createCommand']> => {
    const created = connection.createCommand(testCase.sql);
    for (const [name, value] of Object.entries(testCase.parameters ?? {})) created.parameters.addWithValue(`@${name}`, value);
    return created;
  };
  const scalar = await outcomeOf(() => command().executeScalar());
  const nonQuery = await outcomeOf(() => command().executeNonQuery());
  return { scalar, nonQuery };
}
