/**
 * Things to undo at the end, undone in reverse order exactly once — whether the demo ends normally, fails, or is
 * interrupted (it is handed to `stopOnExit`, which calls {@link Cleanup.stop} on Ctrl-C). Node 20 has no
 * `AsyncDisposableStack` yet; this is the small part of it the demo needs.
 */
export class Cleanup {
  readonly #steps: Array<() => Promise<void>> = [];
  readonly #started = new AbortController();
  #stopping: Promise<void> | undefined;

  /** Aborted the moment {@link Cleanup.stop} begins: work still running should stop instead of failing noisily. */
  get signal(): AbortSignal {
    return this.#started.signal;
  }

  /** Registers a step; the last one added runs first. */
  add(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  /** Runs every step, last added first; a failing step does not stop the others. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#started.abort();
      const errors: unknown[] = [];
      for (const step of this.#steps.reverse()) {
        try {
          await step();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'Some resources could not be released.');
    })();
    return this.#stopping;
  }
}
