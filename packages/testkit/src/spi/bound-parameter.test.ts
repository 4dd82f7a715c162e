import { describe, expect, it } from 'vitest';
import { boundParameter } from './bound-parameter.js';

describe('boundParameter', () => {
  it('is an input named p whose DbType is inferred from the value', () => {
    expect(boundParameter(42)).toEqual({
      name: 'p',
      value: 42,
      dbType: 'Int32',
      dbTypeExplicit: false,
      direction: 'Input',
      size: 0,
      precision: 0,
      scale: 0,
    });
  });

  it('marks a DbType given in the overrides as explicit', () => {
    expect(boundParameter('1.5', { dbType: 'Decimal' })).toMatchObject({ dbType: 'Decimal', dbTypeExplicit: true });
  });

  it('lets every field be overridden, the explicit flag too', () => {
    const parameter = boundParameter(null, {
      name: 'r',
      direction: 'ReturnValue',
      dbType: 'Int32',
      dbTypeExplicit: false,
    });
    expect(parameter).toMatchObject({ name: 'r', direction: 'ReturnValue', dbType: 'Int32', dbTypeExplicit: false });
  });
});

describe('boundParameter with an undefined dbType', () => {
  it('infers the DbType as when none is given', () => {
    expect(boundParameter('x', { dbType: undefined })).toMatchObject({ dbType: 'String', dbTypeExplicit: false });
  });
});
