/**
 * `npm run translation --workspace=@asyncdb/bench -- [--module PATH] [--operations N] [--rounds N]
 * [--case NAME-PREFIX]`: the client CPU one
 * `@name` translation costs (what a translation-cache miss pays: `translatePlaceholders`, the SQL lexer included), per
 * dialect, for a few typical statements. CPU µs per operation (`process.cpuUsage`), the median of the rounds, so a
 * busy machine skews it less than throughput would.
 *
 * `--module` loads `translatePlaceholders` from another copy of core's `translate-placeholders.ts` (e.g. an older
 * commit's, extracted to a temporary folder), so before and after can be run alternately in the same minute.
 */
import { pathToFileURL } from 'node:url';
import { translatePlaceholders as currentTranslate, type TranslateOptions } from '@asyncdb/core';

type Translate = typeof currentTranslate;

interface Case {
  readonly name: string;
  readonly text: string;
  readonly options: TranslateOptions;
}

const resolve = (name: string): string => name;

const SELECT =
  'SELECT id, name, email FROM customer WHERE country = @country AND created_at > @since ORDER BY name LIMIT 50';
const INSERT =
  "INSERT INTO orders (customer_id, product_id, quantity, note, created_at) VALUES (@customer, @product, @quantity, 'web order', @at)";
const TRANSFER =
  'UPDATE account SET balance = balance - @amount WHERE id = @from; UPDATE account SET balance = balance + @amount WHERE id = @to';
const PG_ROUTINE =
  'CREATE OR REPLACE FUNCTION add_one(a integer) RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT a + @step; END';
const SQLITE_TRIGGER =
  'CREATE TRIGGER audit_insert AFTER INSERT ON orders BEGIN INSERT INTO audit (what, at) VALUES (@what, @at); END';

function cases(): Case[] {
  const pg = {
    style: 'dollar-numbered',
    dialect: 'postgresql',
    resolve,
    split: true,
    unknownParameters: 'error',
  } as const;
  const sqlite = { style: 'question', dialect: 'sqlite', resolve, split: true, unknownParameters: 'error' } as const;
  const mysql = { style: 'question', dialect: 'mysql', resolve, split: true, unknownParameters: 'keep' } as const;
  return [
    { name: 'pg select', text: SELECT, options: pg },
    { name: 'pg insert', text: INSERT, options: pg },
    { name: 'pg two updates', text: TRANSFER, options: pg },
    { name: 'pg routine', text: PG_ROUTINE, options: pg },
    { name: 'sqlite select', text: SELECT, options: sqlite },
    { name: 'sqlite insert', text: INSERT, options: sqlite },
    { name: 'sqlite two updates', text: TRANSFER, options: sqlite },
    { name: 'sqlite trigger', text: SQLITE_TRIGGER, options: sqlite },
    { name: 'mysql select (no word pass)', text: SELECT, options: mysql },
  ];
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? undefined : process.argv[index + 1];
}

/** CPU µs per translation over `operations` runs. */
function measure(translate: Translate, item: Case, operations: number): number {
  let keep = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < operations; i++) keep += translate(item.text, item.options).length;
  const used = process.cpuUsage(start);
  if (keep === 0) throw new Error(`${item.name}: no statement translated`);
  return (used.user + used.system) / operations;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  const module = argument('module');
  const translate: Translate = module
    ? ((await import(pathToFileURL(module).href)) as { translatePlaceholders: Translate }).translatePlaceholders
    : currentTranslate;
  const operations = Number(argument('operations') ?? 100_000);
  const rounds = Number(argument('rounds') ?? 7);
  const only = argument('case');
  for (const item of cases().filter((candidate) => only === undefined || candidate.name.startsWith(only))) {
    measure(translate, item, operations); // warm-up: let the JIT settle before timing
    const samples = Array.from({ length: rounds }, () => measure(translate, item, operations));
    console.log(`${item.name.padEnd(30)}\t${median(samples).toFixed(3)} µs/op`);
  }
}

await main();
