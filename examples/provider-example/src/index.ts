/**
 * The worked example of docs/writing-a-provider.md: a complete asyncdb provider over a toy in-process engine,
 * written only against `@asyncdb/core`'s public exports.
 */
export { ToyProviderFactory, registerToyProvider, TOY_CAPABILITIES } from './toy-provider-factory.js';
export { ToyConnection } from './toy-connection.js';
export { ToyResultCursor } from './toy-result-cursor.js';
export { toDbError } from './toy-error-converter.js';
export { TOY_KEYWORDS } from './toy-keywords.js';
export { ToyEngineError, ToySession, type ToyColumn, type ToyResult, type ToyType } from './toy-engine.js';
