/** What {@link watchProcessFaults} saw while it watched. */
export interface ProcessFaults {
  /** Reasons of promises rejected with no handler. */
  readonly unhandledRejections: unknown[];
  /** Errors nobody caught. */
  readonly uncaughtExceptions: unknown[];
  /** Process warnings (`process.emitWarning`), e.g. code `ASYNCDB_END_NOT_CALLED`. */
  readonly warnings: Array<Error & { code?: string }>;
  /** Stops watching; idempotent. */
  stop(): void;
}

/**
 * Records unhandled rejections, uncaught exceptions and process warnings until `stop()`. The conformance suite
 * uses it where docs/ promises that nothing of the sort happens (a failed Begin nobody ended, an idle pooled
 * connection killed by the server, 500 concurrent operations). vitest still sees the faults too.
 * @internal
 */
export function watchProcessFaults(): ProcessFaults {
  const unhandledRejections: unknown[] = [];
  const uncaughtExceptions: unknown[] = [];
  const warnings: Array<Error & { code?: string }> = [];
  const onRejection = (reason: unknown): void => {
    unhandledRejections.push(reason);
  };
  const onException = (error: unknown): void => {
    uncaughtExceptions.push(error);
  };
  const onWarning = (warning: Error & { code?: string }): void => {
    warnings.push(warning);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  process.on('warning', onWarning);
  let stopped = false;
  return {
    unhandledRejections,
    uncaughtExceptions,
    warnings,
    stop() {
      if (stopped) return;
      stopped = true;
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
      process.off('warning', onWarning);
    },
  };
}
