/**
 * Helpers for a provider's own integration tests (beside the conformance suite): connections to the run's server and
 * an unpooled observer connection, one-line commands, polling, unique table names.
 */

export * from './server-connections.js';
export * from './commands.js';
export { eventually } from './eventually.js';
export { uniqueName } from './unique-name.js';
export * from './execution-paths.js';
export { startFaultProxy, type FaultProxy } from './fault-proxy.js';
