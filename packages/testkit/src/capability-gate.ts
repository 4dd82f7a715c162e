import { it, type TestFunction } from 'vitest';
import type { ProviderCapabilities } from '@asyncdb/core';

declare module 'vitest' {
  interface TaskMeta {
    /**
     * Set on a conformance test skipped because the provider declares the feature unsupported: the reason.
     * The JSON reporter carries it, so the conformance report can show "unsupported" rather than "skipped".
     */
    asyncdbUnsupported?: string;
  }
}

/** Whether a test applies to the provider, and if not, why (shown in the report). */
export type Gate = { readonly supported: true } | { readonly supported: false; readonly reason: string };

/** The gate of a test every provider must pass. */
export const ALWAYS: Gate = Object.freeze({ supported: true });

/** A gate closed for `reason`. */
export function unsupported(reason: string): Gate {
  return { supported: false, reason };
}

/**
 * The gate for a provider capability: open when `isSupported(capabilities[key])` (by default: the flag is `true`),
 * otherwise closed with a reason naming the flag and its value.
 */
export function capabilityGate<K extends keyof ProviderCapabilities>(
  capabilities: ProviderCapabilities,
  key: K,
  isSupported: (value: ProviderCapabilities[K]) => boolean = (value) => value === true,
): Gate {
  const value = capabilities[key];
  if (isSupported(value)) return ALWAYS;
  return unsupported(`capabilities.${key} is ${JSON.stringify(value)}`);
}

/** Open only when every gate is; the reasons of the closed ones are joined. */
export function allOf(...gates: readonly Gate[]): Gate {
  const reasons = gates.flatMap((gate) => (gate.supported ? [] : [gate.reason]));
  return reasons.length === 0 ? ALWAYS : unsupported(reasons.join('; '));
}

/**
 * Registers a conformance test behind a gate. When the gate is closed the test keeps its name (so the report's row
 * is the same for every provider), is skipped at run time with the reason as vitest's skip note, and carries the
 * reason in `task.meta.asyncdbUnsupported`. This is the only way the suite skips anything.
 */
export function gatedIt(gate: Gate, name: string, fn: TestFunction, timeout?: number): void {
  if (gate.supported) {
    it(name, fn, timeout);
    return;
  }
  const reason = gate.reason;
  it(name, { meta: { asyncdbUnsupported: reason } }, (context) => {
    context.skip(`unsupported: ${reason}`);
  });
}
