import { describe, expect, it } from 'vitest';
import { affectedRowsOfTag } from './pg-command-tag.js';

describe('affectedRowsOfTag', () => {
  it.each([
    ['INSERT 0 5', 5],
    ['UPDATE 3', 3],
    ['DELETE 0', 0],
    ['MERGE 2', 2],
    ['SELECT 10', undefined],
    ['CREATE TABLE', undefined],
    ['COPY 4', undefined],
  ])('%s → %s', (tag, expected) => {
    expect(affectedRowsOfTag(tag)).toBe(expected);
  });
});
