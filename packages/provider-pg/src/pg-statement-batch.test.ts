import type { BoundParameter, StatementRequest } from '@asyncdb/core';
import { boundParameter } from '@asyncdb/testkit';
import { describe, expect, it } from 'vitest';
import { RESET_SQL } from './pg-deferred-reset.js';
import { PgStatementBatch } from './pg-statement-batch.js';
import { FakeWire } from './testing/fake-pg.js';
import { PgOid } from './pg-type-map.js';

const statement = (text: string, ...values: unknown[]): StatementRequest => ({
  text,
  parameters: values.map((value): BoundParameter => boundParameter(value)),
});

function written(batch: PgStatementBatch, reset = false, rows = 0, describeOnly = false): FakeWire['sent'] {
  const wire = new FakeWire();
  batch.writeBatch(wire, reset, rows, describeOnly);
  return wire.sent;
}

describe('PgStatementBatch', () => {
  it('writes a lone statement without parameters as one simple Query', () => {
    const batch = new PgStatementBatch([statement('SELECT 1')]);
    expect(batch.fitsSimpleQuery(false)).toBe(true);
    expect(written(batch)).toEqual([{ type: 'query', text: 'SELECT 1' }]);
  });

  it('uses the extended protocol when a reset goes ahead, a row limit or describe-only is asked for', () => {
    const batch = new PgStatementBatch([statement('SELECT 1')]);
    expect(batch.fitsSimpleQuery(true)).toBe(false);
    expect(batch.fitsSimpleQuery(false, 1)).toBe(false);
    expect(batch.fitsSimpleQuery(false, 0, true)).toBe(false);
    expect(written(batch, true).map((message) => message.type)).toEqual([
      ...['parse', 'bind', 'execute'], // the reset
      ...['parse', 'bind', 'describe', 'execute', 'sync'],
    ]);
    expect(written(batch, true)[0]).toEqual({ type: 'parse', text: RESET_SQL, types: [] });
    expect(written(batch, false, 1).filter((message) => message.type === 'execute')).toEqual([
      { type: 'execute', portal: '', rows: 1 },
    ]);
    expect(written(batch, false, 0, true).map((message) => message.type)).toEqual([
      'parse',
      'bind',
      'describe',
      'sync',
    ]);
  });

  it("gives each statement of a batch its own parameters' types and values", () => {
    const batch = new PgStatementBatch([
      statement('SELECT $1, $2', 7n, 'x'),
      statement('SELECT 2'),
      statement('SELECT $1', true),
    ]);
    expect(batch.fitsSimpleQuery(false)).toBe(false);
    expect(written(batch)).toEqual([
      { type: 'parse', text: 'SELECT $1, $2', types: [PgOid.int8, 0] },
      { type: 'bind', portal: '', values: ['7', 'x'] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 0 },
      { type: 'parse', text: 'SELECT 2', types: [] },
      { type: 'bind', portal: '', values: [] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 0 },
      { type: 'parse', text: 'SELECT $1', types: [PgOid.bool] },
      { type: 'bind', portal: '', values: ['true'] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 0 },
      { type: 'sync' },
    ]);
  });

  it('writes one statement of the batch on its own, without ending the group', () => {
    const batch = new PgStatementBatch([statement('SELECT $1', 1), statement('SELECT $1, $2', 'a', 'b')]);
    const wire = new FakeWire();
    batch.writeStatement(wire, 1, 1000);
    expect(wire.sent).toEqual([
      { type: 'parse', text: 'SELECT $1, $2', types: [0, 0] },
      { type: 'bind', portal: '', values: ['a', 'b'] },
      { type: 'describe', kind: 'P' },
      { type: 'execute', portal: '', rows: 1000 },
    ]);
  });

  it('writes each of many statements on its own with its own parameters (offsets summed once, not per statement)', () => {
    // 2 000 statements with 0, 1 or 2 parameters each: every one written alone, as the statement-by-statement path does.
    const statements = Array.from({ length: 2_000 }, (_, index) =>
      index % 3 === 0
        ? statement(`SELECT ${index}`)
        : statement(index % 3 === 1 ? 'SELECT $1' : 'SELECT $1, $2', ...Array.from({ length: index % 3 }, () => index)),
    );
    const batch = new PgStatementBatch(statements);
    for (const index of [0, 1, 2, 1_000, 1_001, 1_999]) {
      const wire = new FakeWire();
      batch.writeStatement(wire, index);
      const bind = wire.sent.find((message) => message.type === 'bind') as unknown as { values: unknown[] };
      expect(bind.values, String(index)).toEqual(Array.from({ length: index % 3 }, () => String(index)));
    }
  });

  it('fails when a value cannot be encoded, before anything is written', () => {
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(() => new PgStatementBatch([statement('SELECT 1'), statement('SELECT $1', circular)])).toThrow(TypeError);
  });
});
