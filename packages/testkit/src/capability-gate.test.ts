import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDER_CAPABILITIES } from '@asyncdb/core';
import { ALWAYS, allOf, capabilityGate, gatedIt, unsupported } from './capability-gate.js';

describe('capabilityGate', () => {
  it('is open when the flag is true', () => {
    expect(
      capabilityGate({ ...DEFAULT_PROVIDER_CAPABILITIES, supportsSavepoints: true }, 'supportsSavepoints'),
    ).toEqual(ALWAYS);
  });

  it('is closed with a reason naming the flag and its value when the flag is false', () => {
    expect(capabilityGate(DEFAULT_PROVIDER_CAPABILITIES, 'supportsSavepoints')).toEqual({
      supported: false,
      reason: 'capabilities.supportsSavepoints is false',
    });
  });

  it('takes a predicate for capabilities that are not booleans', () => {
    const gate = capabilityGate(DEFAULT_PROVIDER_CAPABILITIES, 'cancellation', (kind) => kind !== 'none');
    expect(gate).toEqual({ supported: false, reason: 'capabilities.cancellation is "none"' });
  });
});

describe('allOf', () => {
  it('is open when every gate is', () => {
    expect(allOf(ALWAYS, ALWAYS)).toEqual(ALWAYS);
  });

  it('joins the reasons of the closed gates', () => {
    expect(allOf(unsupported('a'), ALWAYS, unsupported('b'))).toEqual({ supported: false, reason: 'a; b' });
  });
});

describe('gatedIt', () => {
  let ran = false;
  gatedIt(ALWAYS, 'an open gate runs the test', () => {
    ran = true;
  });
  gatedIt(unsupported('capabilities.example is false'), 'a closed gate skips the test', () => {
    throw new Error('must not run');
  });

  it('runs open tests and reports closed ones as skipped with the reason in meta and in the skip note', ({ task }) => {
    expect(ran).toBe(true);
    const skipped = task.suite?.tasks.find((sibling) => sibling.name === 'a closed gate skips the test');
    expect(skipped?.meta.asyncdbUnsupported).toBe('capabilities.example is false');
    expect(skipped?.result?.state).toBe('skip');
    // vitest keeps the skip note on the result (untyped), and its reporters print it.
    expect((skipped?.result as { note?: string } | undefined)?.note).toBe('unsupported: capabilities.example is false');
  });
});
