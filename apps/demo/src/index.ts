/**
 * @asyncdb/demo — the classic ADO.NET 2.0 asynchronous scenarios, provider-neutral, plus the asynchronous web
 * page. Run it with `npm run demo`; these exports let other tools (and the tests) reuse the pieces.
 */
export * from './config.js';
export * from './dialects.js';
export * from './output.js';
export * from './dataset/dataset.js';
export * from './dataset/generate-dataset.js';
export * from './dataset/load-dataset.js';
export * from './scenarios/scenario-list.js';
export type * from './scenarios/scenario.js';
export * from './web/web-server.js';
