/**
 * @asyncdb/testkit — the conformance suite every asyncdb provider runs against a real server (docs/architecture.md#the-testkit),
 * the fixture interface that expresses what differs per engine with the value samples engines share, the report
 * builder behind `docs/conformance.md`, and helpers for a provider's own integration tests.
 */

export { describeProviderConformance, CONFORMANCE_GROUPS } from './describe-provider-conformance.js';
export type { ConformanceGroup } from './describe-provider-conformance.js';
export type { ProviderConformanceOptions } from './conformance-options.js';
export * from './conformance-fixture.js';
export * from './samples/index.js';
export { checkedSessionId } from './session-id.js';
export * from './integration/index.js';
export { boundParameter } from './spi/bound-parameter.js';
export * from './capability-gate.js';
export * from './fixture-parts.js';
export * from './report/conformance-report.js';
