import type { EngineEvent, TdsMessage } from '../engine-types.js';
import { Scope } from '../session/scope.js';

/** How a statement (or a run of statements) hands control back. */
export type Flow = 'next' | 'break' | 'continue' | 'return' | 'abort';

/** The generator type of everything that executes statements: events out, a {@link Flow} at the end. */
export type Execution = AsyncGenerator<EngineEvent, Flow>;

/** Where statements run: a batch, a procedure body, a dynamic or sp_executesql statement. */
export interface Frame {
  readonly scope: Scope;
  /** The procedure being executed (for ERROR tokens). */
  readonly procName?: string;
  /** > 0 inside BEGIN TRY: errors then go to the CATCH block instead of ending the batch. */
  tryDepth: number;
  /** The error being handled inside BEGIN CATCH (ERROR_MESSAGE() and friends, bare THROW). */
  caught?: TdsMessage;
  /** The value of RETURN n. */
  returnValue?: number;
}

/** A fresh frame; `parent` passes on TRY nesting (so errors in a procedure reach the caller's CATCH). */
export function newFrame(options: { procName?: string; parent?: Frame; scope?: Scope } = {}): Frame {
  const frame: Frame = { scope: options.scope ?? new Scope(), tryDepth: options.parent?.tryDepth ?? 0 };
  if (options.procName !== undefined) return { ...frame, procName: options.procName };
  return frame;
}
