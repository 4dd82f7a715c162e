/**
 * Value samples for a fixture's `values`: the ones engines share, so a fixture writes out only what its engine
 * does differently (its column types, its literal syntax, samples of its own).
 */

export * from './sql-literals.js';
export * from './boolean-samples.js';
export * from './integer-samples.js';
export * from './decimal-samples.js';
export * from './float-samples.js';
export * from './string-samples.js';
export * from './temporal-samples.js';
export * from './guid-samples.js';
export * from './binary-samples.js';
export * from './xml-samples.js';
