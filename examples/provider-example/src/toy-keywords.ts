import { COMMON_KEYWORDS, defineKeywords, type KeywordDefinition } from '@asyncdb/core';

/**
 * The example provider's connection-string keywords: core's common ones (`Asynchronous Processing`, `Pooling`,
 * `Connect Timeout`, `Command Timeout`, `Password`, …) plus its own. `defineKeywords` checks the table when the module
 * loads (a synonym claimed twice or a default that does not fit its type fails here, not at a user's open).
 */
export const TOY_KEYWORDS: readonly KeywordDefinition[] = defineKeywords(COMMON_KEYWORDS, [
  {
    name: 'Database',
    synonyms: ['Initial Catalog'],
    type: 'string',
    defaultValue: 'main',
    description: 'The database the session starts in.',
  },
  {
    name: 'Data Source',
    synonyms: ['Server', 'Host'],
    type: 'string',
    defaultValue: 'toy',
    description: 'Where the engine runs; reported as server.address.',
  },
]);
