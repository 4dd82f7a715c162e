import { describe, expect, it } from 'vitest';
import { captureOutput, createOutput } from './output.js';

describe('createOutput', () => {
  it('writes plain text without escape sequences when not interactive', () => {
    const output = captureOutput();
    output.heading('1/5 Polling', 'what it shows');
    output.line('a line');
    output.success('it worked');
    output.failure('it did not');
    expect(output.text()).toBe('\n▶ 1/5 Polling\n  what it shows\n  a line\n  ✓ it worked\n  ✖ it did not\n');
    expect(output.text()).not.toMatch(/\x1b/);
  });

  it('prints plain progress once per half second of elapsed time, however often it is updated', () => {
    const output = captureOutput();
    const progress = output.progress('running');
    for (let ms = 0; ms <= 1_300; ms += 80) progress.update(ms);
    progress.done();
    expect(output.text()).toBe('  … running 0 ms\n  … running 560 ms\n  … running 1.04 s\n');
  });

  it('draws a spinner in place on a terminal, and clears it when done', () => {
    const chunks: string[] = [];
    const output = createOutput({ write: (text) => chunks.push(text), interactive: true });
    const progress = output.progress('running');
    progress.update(100);
    progress.update(200);
    progress.done();
    expect(chunks).toHaveLength(3);
    expect(chunks[0]).toMatch(/^\r\x1b\[K  ⠋ running .*100 ms/);
    expect(chunks[1]).toMatch(/^\r\x1b\[K  ⠙ running .*200 ms/);
    expect(chunks[2]).toBe('\r\x1b[K');
  });

  it('colours headings on a terminal', () => {
    const chunks: string[] = [];
    createOutput({ write: (text) => chunks.push(text), interactive: true }).heading('Title');
    expect(chunks.join('')).toContain('\x1b[1;36m▶ Title\x1b[0m');
  });
});
