import { describe, expect, it } from 'vitest';
import { ConnectionStringError } from '../errors/errors.js';
import {
  COMMON_KEYWORDS,
  convertKeywordValue,
  defineKeywords,
  foldKeyword,
  indexKeywords,
  isValidKeyword,
  parseBooleanValue,
  parseIntegerValue,
  type KeywordDefinition,
} from './connection-string-keywords.js';

function common(name: string): KeywordDefinition {
  const definition = COMMON_KEYWORDS.find((candidate) => candidate.name === name);
  if (definition === undefined) throw new Error(`no ${name}`);
  return definition;
}

const PORT: KeywordDefinition = { name: 'Port', type: 'integer', min: 1, max: 65535 };
const SSL: KeywordDefinition = { name: 'SSL Mode', type: 'enum', values: ['Disable', 'Require', 'Verify-Full'] };

describe('COMMON_KEYWORDS', () => {
  it('lists the keywords core handles, by canonical name', () =>
    expect(COMMON_KEYWORDS.map((definition) => definition.name)).toEqual([
      'Asynchronous Processing',
      'Pooling',
      'Min Pool Size',
      'Max Pool Size',
      'Connect Timeout',
      'Command Timeout',
      'Application Name',
      'Persist Security Info',
      'Password',
    ]));
  it('has Asynchronous Processing (async), boolean, default false', () =>
    expect(common('Asynchronous Processing')).toMatchObject({
      synonyms: ['async'],
      type: 'boolean',
      defaultValue: false,
    }));
  it('has Pooling, boolean, default true', () =>
    expect(common('Pooling')).toMatchObject({ type: 'boolean', defaultValue: true }));
  it('has Min Pool Size ≥ 0, default 0', () =>
    expect(common('Min Pool Size')).toMatchObject({ type: 'integer', min: 0, defaultValue: 0 }));
  it('has Max Pool Size ≥ 1, default 100', () =>
    expect(common('Max Pool Size')).toMatchObject({ type: 'integer', min: 1, defaultValue: 100 }));
  it('has Connect Timeout (Connection Timeout, Timeout), default 15', () =>
    expect(common('Connect Timeout')).toMatchObject({
      synonyms: ['Connection Timeout', 'Timeout'],
      type: 'integer',
      min: 0,
      defaultValue: 15,
    }));
  it('has Command Timeout (Default Command Timeout), default 30', () =>
    expect(common('Command Timeout')).toMatchObject({
      synonyms: ['Default Command Timeout'],
      min: 0,
      defaultValue: 30,
    }));
  it('has Application Name (App), string', () =>
    expect(common('Application Name')).toMatchObject({ synonyms: ['App'], type: 'string' }));
  it('has Persist Security Info (PersistSecurityInfo), default false', () =>
    expect(common('Persist Security Info')).toMatchObject({ synonyms: ['PersistSecurityInfo'], defaultValue: false }));
  it('has Password (PWD), a secret string', () =>
    expect(common('Password')).toMatchObject({ synonyms: ['PWD'], type: 'string', secret: true }));
  it('marks only Password secret', () =>
    expect(COMMON_KEYWORDS.filter((definition) => definition.secret).map((definition) => definition.name)).toEqual([
      'Password',
    ]));
  it('is frozen, table and entries', () => {
    expect(Object.isFrozen(COMMON_KEYWORDS)).toBe(true);
    expect(COMMON_KEYWORDS.every((definition) => Object.isFrozen(definition))).toBe(true);
  });
  it('is a valid table (no clashes, defaults fit)', () => expect(indexKeywords(COMMON_KEYWORDS).size).toBe(16));
});

describe('defineKeywords', () => {
  it('merges lists in order', () =>
    expect(
      defineKeywords(COMMON_KEYWORDS, [PORT])
        .map((definition) => definition.name)
        .at(-1),
    ).toBe('Port'));
  it('returns a frozen table', () => expect(Object.isFrozen(defineKeywords([PORT]))).toBe(true));
  it('accepts the same definition listed twice, once', () => expect(defineKeywords([PORT], [PORT])).toHaveLength(1));
  it('rejects two definitions with the same name', () =>
    expect(() => defineKeywords([PORT], [{ name: 'Port', type: 'string' }])).toThrow(ConnectionStringError));
  it('compares names case-insensitively', () =>
    expect(() => defineKeywords([PORT], [{ name: 'PORT', type: 'string' }])).toThrow(/already defined by 'Port'/));
  it('rejects a synonym that clashes with another name', () =>
    expect(() => defineKeywords(COMMON_KEYWORDS, [{ name: 'Host', synonyms: ['password'], type: 'string' }])).toThrow(
      "Keyword 'password' of 'Host' is already defined by 'Password'.",
    ));
  it('rejects two synonyms that clash', () =>
    expect(() =>
      defineKeywords(
        [{ name: 'Host', synonyms: ['Server'], type: 'string' }],
        [{ name: 'Data Source', synonyms: ['server'], type: 'string' }],
      ),
    ).toThrow(/'server'/));
  it('names the clashing keyword on the error', () => {
    try {
      defineKeywords([PORT], [{ name: 'port', type: 'string' }]);
      expect.unreachable();
    } catch (error) {
      expect((error as ConnectionStringError).keyword).toBe('port');
    }
  });
  it('lets a definition repeat its own name as a synonym', () =>
    expect(defineKeywords([{ name: 'Pooling', synonyms: ['pooling'], type: 'boolean' }])).toHaveLength(1));
  it('rejects a name with leading white space', () =>
    expect(() => defineKeywords([{ name: ' Port', type: 'string' }])).toThrow("Invalid keyword name ' Port'."));
  it('rejects an empty synonym', () =>
    expect(() => defineKeywords([{ name: 'Port', synonyms: [''], type: 'string' }])).toThrow());
  it('rejects an enum without values', () =>
    expect(() => defineKeywords([{ name: 'Mode', type: 'enum' }])).toThrow(
      "Keyword 'Mode' is an enum without values.",
    ));
  it('rejects a default outside the range', () =>
    expect(() => defineKeywords([{ ...PORT, defaultValue: 0 }])).toThrow(
      "Default value of keyword 'Port' does not fit its type.",
    ));
  it('rejects a boolean default that is no boolean', () =>
    expect(() => defineKeywords([{ name: 'Flag', type: 'boolean', defaultValue: 'maybe' }])).toThrow(/Default value/));
  it('accepts an enum default in any casing', () =>
    expect(defineKeywords([{ ...SSL, defaultValue: 'require' }])).toHaveLength(1));
});

describe('parseBooleanValue', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['Yes', true],
    [' yes ', true],
    ['false', false],
    ['No', false],
    ['\tno\t', false],
  ])('reads %j as %j', (raw, expected) => expect(parseBooleanValue(raw)).toBe(expected));
  it.each(['on', '1', '0', '', 'truee', 'y'])('rejects %j', (raw) => expect(parseBooleanValue(raw)).toBeUndefined());
});

describe('parseIntegerValue', () => {
  it.each([
    ['10', 10],
    [' 10 ', 10],
    ['+5', 5],
    ['-3', -3],
    ['007', 7],
  ])('reads %j as %j', (raw, expected) => expect(parseIntegerValue(raw)).toBe(expected));
  it.each(['1.5', '1e3', '', ' ', '0x10', '10a', '1 0', '99999999999999999999'])('rejects %j', (raw) =>
    expect(parseIntegerValue(raw)).toBeUndefined(),
  );
});

describe('convertKeywordValue', () => {
  it('returns a string unchanged', () => expect(convertKeywordValue(common('Application Name'), ' x ')).toBe(' x '));
  it('converts a boolean', () => expect(convertKeywordValue(common('Pooling'), 'no')).toBe(false));
  it('rejects a non-boolean with the ADO.NET message in lower case', () =>
    expect(() => convertKeywordValue(common('Pooling'), 'maybe')).toThrow("Invalid value for key 'pooling'."));
  it('names the canonical keyword on the error', () => {
    try {
      convertKeywordValue(common('Max Pool Size'), 'abc');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConnectionStringError);
      expect((error as ConnectionStringError).keyword).toBe('Max Pool Size');
      expect((error as ConnectionStringError).message).toBe("Invalid value for key 'max pool size'.");
    }
  });
  it('converts an integer', () => expect(convertKeywordValue(PORT, '5432')).toBe(5432));
  it('accepts the min and the max', () =>
    expect([convertKeywordValue(PORT, '1'), convertKeywordValue(PORT, '65535')]).toEqual([1, 65535]));
  it('rejects below min', () => expect(() => convertKeywordValue(PORT, '0')).toThrow("Invalid value for key 'port'."));
  it('names the range of an integer out of range, never the value', () => {
    expect(() => convertKeywordValue(PORT, '70000')).toThrow(
      "Invalid value for key 'port'. Expected an integer from 1 to 65535.",
    );
    expect(() => convertKeywordValue(common('Connect Timeout'), '2147483648')).toThrow(
      'Expected an integer from 0 to 2147483647.',
    );
  });
  it('rejects above max', () => expect(() => convertKeywordValue(PORT, '65536')).toThrow(ConnectionStringError));
  it('rejects a negative Min Pool Size', () =>
    expect(() => convertKeywordValue(common('Min Pool Size'), '-1')).toThrow());
  it('rejects a fraction', () => expect(() => convertKeywordValue(PORT, '1.5')).toThrow());
  it('returns the canonical enum spelling', () =>
    expect(convertKeywordValue(SSL, ' verify-full ')).toBe('Verify-Full'));
  it('rejects an unknown enum value', () =>
    expect(() => convertKeywordValue(SSL, 'prefer')).toThrow("Invalid value for key 'ssl mode'."));
});

describe('foldKeyword and isValidKeyword', () => {
  it('folds case and surrounding white space', () => expect(foldKeyword('  Max POOL Size ')).toBe('max pool size'));
  it.each(['a', 'Data Source', 'a=b', 'a;b', '"x"', '=', 'é'])('accepts %j', (keyword) =>
    expect(isValidKeyword(keyword)).toBe(true),
  );
  it.each(['', ' a', 'a ', ';a', 'a\tb', 'a\x01', '\u00a0a', 'a\u3000'])('rejects %j', (keyword) =>
    expect(isValidKeyword(keyword)).toBe(false),
  );
});
