import { describe, expect, it } from 'vitest';
import { translatedStatements, TRANSLATION_CACHE_LIMIT } from './translation-cache.js';
import { translatePlaceholders } from './translate-placeholders.js';
import { DbParameter } from '../contracts/db-parameter.js';
import { DbParameterCollection } from '../contracts/db-parameter-collection.js';
import { DEFAULT_PROVIDER_CAPABILITIES, type ProviderCapabilities } from '../providers/provider-capabilities.js';
import type { BoundParameter } from '../providers/provider-spi.js';
import { InvalidOperationError } from '../errors/errors.js';

const PG: ProviderCapabilities = {
  ...DEFAULT_PROVIDER_CAPABILITIES,
  placeholderStyle: 'dollar-numbered',
  sqlDialect: 'postgresql',
  splitStatements: true,
  unknownParameters: 'error',
};

/** A collection with these names (and values equal to the names), and its bound snapshots in order. */
function collection(...names: string[]): { parameters: DbParameterCollection; bound: BoundParameter[] } {
  const parameters = new DbParameterCollection(() => new DbParameter());
  for (const name of names) parameters.addWithValue(name, `value of ${name}`);
  const bound = [...parameters].map((parameter) => ({
    name: parameter.normalizedName,
    value: parameter.value,
    dbType: parameter.dbType,
    dbTypeExplicit: false,
    direction: parameter.direction,
    size: 0,
    precision: 0,
    scale: 0,
  }));
  return { parameters, bound };
}

/** What the uncached translation binds: texts and the values of each statement's parameters. */
function uncached(text: string, names: string[], capabilities: ProviderCapabilities) {
  const { parameters } = collection(...names);
  return translatePlaceholders(text, {
    style: capabilities.placeholderStyle,
    dialect: capabilities.sqlDialect,
    split: capabilities.splitStatements,
    unknownParameters: capabilities.unknownParameters,
    resolve: (name) => {
      const index = parameters.indexOf(name);
      return index < 0 ? undefined : parameters.get(index).normalizedName;
    },
  }).map((statement) => ({
    text: statement.text,
    values: statement.parameterNames.map((name) => `value of ${parameters.get(name).parameterName}`),
  }));
}

function shape(statements: ReturnType<typeof translatedStatements>) {
  return statements.map((statement) => ({
    text: statement.text,
    values: statement.parameters.map((parameter) => parameter.value),
  }));
}

describe('translatedStatements (the per-text translation cache)', () => {
  it('binds exactly what an uncached translation binds, on a miss and on the hits after it', () => {
    const text = 'SELECT @b, @a, @b; UPDATE t SET x = @A';
    for (let run = 0; run < 3; run++) {
      const { parameters, bound } = collection('a', 'b');
      expect(shape(translatedStatements(text, parameters, bound, PG))).toEqual(uncached(text, ['a', 'b'], PG));
    }
  });

  it('translates again when the parameter names (or their order) changed since the cached translation', () => {
    const text = 'SELECT @x, @y';
    const first = collection('x', 'y');
    expect(shape(translatedStatements(text, first.parameters, first.bound, PG))).toEqual([
      { text: 'SELECT $1, $2', values: ['value of x', 'value of y'] },
    ]);
    const reordered = collection('y', 'x');
    expect(shape(translatedStatements(text, reordered.parameters, reordered.bound, PG))).toEqual([
      { text: 'SELECT $1, $2', values: ['value of x', 'value of y'] },
    ]);
    const renamed = collection('x', 'z');
    expect(() => translatedStatements(text, renamed.parameters, renamed.bound, PG)).toThrow(InvalidOperationError);
    // The failure is not cached: the same text with the right names works again.
    expect(shape(translatedStatements(text, first.parameters, first.bound, PG))).toEqual([
      { text: 'SELECT $1, $2', values: ['value of x', 'value of y'] },
    ]);
  });

  it('keeps translations apart per placeholder style, even for the same capabilities object changed in place', () => {
    const text = 'SELECT @p';
    const { parameters, bound } = collection('p');
    const mutable: { -readonly [K in keyof ProviderCapabilities]: ProviderCapabilities[K] } = { ...PG };
    expect(translatedStatements(text, parameters, bound, mutable)[0]!.text).toBe('SELECT $1');
    mutable.placeholderStyle = 'question';
    expect(translatedStatements(text, parameters, bound, mutable)[0]!.text).toBe('SELECT ?');
  });

  it('shares one statement object for a statement without parameters (it holds no value)', () => {
    const { parameters, bound } = collection();
    const first = translatedStatements('SELECT 1', parameters, bound, PG);
    const second = translatedStatements('SELECT 1', parameters, bound, PG);
    expect(second[0]).toBe(first[0]);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(first[0]!.parameters).toEqual([]);
    // The statements of a text that binds nothing are one frozen array too (no array per execution).
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const batch = translatedStatements('SELECT 1; SELECT 2', parameters, bound, PG);
    expect(translatedStatements('SELECT 1; SELECT 2', parameters, bound, PG)).toBe(batch);
    expect(batch.map((statement) => statement.text)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('knows the last text by identity and still checks its options and parameter names', () => {
    const text = 'SELECT @a';
    const { parameters, bound } = collection('a');
    const first = translatedStatements(text, parameters, bound, PG);
    expect(first[0]!.text).toBe('SELECT $1');
    const renamed = collection('b');
    expect(() => translatedStatements(text, renamed.parameters, renamed.bound, PG)).toThrow(InvalidOperationError);
    const mysql = { ...PG, placeholderStyle: 'question' as const };
    expect(translatedStatements(text, parameters, bound, mysql)[0]!.text).toBe('SELECT ?');
    expect(translatedStatements(text, parameters, bound, PG)[0]!.text).toBe('SELECT $1');
  });

  it(`stays bounded: past ${TRANSLATION_CACHE_LIMIT} texts the oldest is dropped, and still translates correctly`, () => {
    const capabilities: ProviderCapabilities = { ...PG };
    const { parameters, bound } = collection('v');
    for (let i = 0; i < TRANSLATION_CACHE_LIMIT + 10; i++) {
      const statements = translatedStatements(`SELECT ${i}, @v`, parameters, bound, capabilities);
      expect(statements[0]!.text).toBe(`SELECT ${i}, $1`);
    }
    expect(translatedStatements('SELECT 0, @v', parameters, bound, capabilities)[0]!.text).toBe('SELECT 0, $1');
  });
});
