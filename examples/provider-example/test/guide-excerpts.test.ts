import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const guide = fileURLToPath(new URL('../../../docs/writing-a-provider.md', import.meta.url));
const sourceDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Lines without trailing white space, so an editor's trimming does not count as drift. */
const normalize = (text: string): string =>
  text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();

/** The ```ts blocks of the guide; blocks fenced ```ts illustrative are sketches of another package and not checked. */
function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => normalize(match[1] ?? ''));
}

const sources = normalize(
  readdirSync(sourceDir)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => readFileSync(sourceDir + name, 'utf8'))
    .join('\n'),
);

describe('docs/writing-a-provider.md shows the example provider as it is', () => {
  const blocks = tsBlocks(readFileSync(guide, 'utf8'));

  it('has code blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it.each(blocks.map((block) => [block.split('\n')[0], block]))('copies %s verbatim from src/', (_first, block) => {
    expect(sources.includes(block as string), `not found in examples/provider-example/src:\n${block}`).toBe(true);
  });
});
