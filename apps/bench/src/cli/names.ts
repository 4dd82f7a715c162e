/** The providers the benchmark knows, in the order they run. */
export const PROVIDERS = ['pg', 'mysql', 'mssql', 'sqlite'] as const;
/** A provider's invariant name. */
export type ProviderName = (typeof PROVIDERS)[number];

/** The scenarios, in the order they run (and numbered 1–5 as in the issue). */
export const SCENARIOS = ['round-trips', 'open-close', 'streaming', 'concurrency', 'parallelism'] as const;
/** A scenario's name. */
export type ScenarioName = (typeof SCENARIOS)[number];

/** True when `value` names a provider. */
export function isProviderName(value: string): value is ProviderName {
  return (PROVIDERS as readonly string[]).includes(value);
}

/** The scenario called `value`, or numbered `value` (1–5); undefined when there is none. */
export function scenarioNamed(value: string): ScenarioName | undefined {
  const lower = value.trim().toLowerCase();
  if ((SCENARIOS as readonly string[]).includes(lower)) return lower as ScenarioName;
  const index = Number(lower);
  return Number.isInteger(index) ? SCENARIOS[index - 1] : undefined;
}
