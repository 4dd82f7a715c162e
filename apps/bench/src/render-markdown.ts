/**
 * Prints the tables of a bench-results.json as Markdown, for docs/benchmarks.md:
 * `npx tsx --conditions=@asyncdb/source apps/bench/src/render-markdown.ts [bench-results.json]`.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderMarkdownReport } from './report/print-results.js';
import type { ResultsDocument } from './report/results-document.js';

const path = process.argv[2] ?? fileURLToPath(new URL('../../../bench-results.json', import.meta.url));
const document = JSON.parse(await readFile(path, 'utf8')) as ResultsDocument;
console.log(renderMarkdownReport(document));
