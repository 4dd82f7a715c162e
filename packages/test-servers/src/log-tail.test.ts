import { describe, expect, it } from 'vitest';
import { LogTail } from './log-tail.js';

describe('LogTail', () => {
  it('keeps only the last lines', () => {
    const tail = new LogTail(2);
    tail.push('one\ntwo\nthree\n');
    expect(tail.lines()).toEqual(['two', 'three']);
  });

  it('joins lines split across chunks and keeps an unfinished last line', () => {
    const tail = new LogTail();
    tail.push('FATAL:  could not');
    tail.push(' bind\r\nLOG:  shutting');
    expect(tail.lines()).toEqual(['FATAL:  could not bind', 'LOG:  shutting']);
    expect(tail.toString()).toBe('FATAL:  could not bind\nLOG:  shutting');
  });

  it('reports each complete line once', () => {
    const seen: string[] = [];
    const tail = new LogTail(1, (line) => seen.push(line));
    tail.push('a\nb');
    tail.push('c\n');
    expect(seen).toEqual(['a', 'bc']);
  });

  it('drops blank lines', () => {
    const tail = new LogTail();
    tail.push('\n\na\n\n');
    expect(tail.lines()).toEqual(['a']);
  });
});
