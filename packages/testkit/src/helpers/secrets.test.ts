import { describe, expect, it } from 'vitest';
import { errorTexts, findSecret } from './secrets.js';

describe('findSecret', () => {
  it('finds a secret in the message, the cause chain, or an own property', () => {
    expect(findSecret(new Error('login as ann/hunter22 failed'), 'hunter22')).toContain('hunter22');
    expect(findSecret(new Error('outer', { cause: new Error('inner hunter22') }), 'hunter22')).toContain('hunter22');
    expect(findSecret(Object.assign(new Error('outer'), { config: { password: 'hunter22' } }), 'hunter22')).toContain(
      'hunter22',
    );
  });

  it('finds nothing when the secret is absent or empty', () => {
    expect(findSecret(new Error('login failed'), 'hunter22')).toBeUndefined();
    expect(findSecret(new Error('login failed'), '')).toBeUndefined();
  });

  it('survives causes that are not errors and cycles', () => {
    const error = new Error('a', { cause: 'plain cause' });
    const cyclic = new Error('b');
    (cyclic as { cause?: unknown }).cause = cyclic;
    expect(errorTexts(error)).toContain('plain cause');
    expect(errorTexts(cyclic).length).toBeGreaterThan(0);
  });
});
