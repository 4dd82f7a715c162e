import type { ProviderName, ScenarioName } from './names.js';

/**
 * Scenarios that do not run for a provider, with the reason printed in their place. SQLite has no server: there is
 * no sleep to run in parallel, and no raw pool to compare asyncdb's pooled open/close with (libsql has none).
 */
const SKIPS: Partial<Record<ProviderName, Partial<Record<ScenarioName, string>>>> = {
  sqlite: {
    'open-close': 'libsql has no pool to compare with (asyncdb pools SQLite files through core’s pool)',
    concurrency: 'libsql has no pool to compare with',
    parallelism: 'SQLite has no sleep function: no statement of a known duration to run in parallel',
  },
};

/** Why `scenario` does not run for `provider`, or undefined when it does. */
export function scenarioSkip(provider: ProviderName, scenario: ScenarioName): string | undefined {
  return SKIPS[provider]?.[scenario];
}
