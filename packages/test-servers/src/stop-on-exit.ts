/** Anything with an idempotent asynchronous `stop`, such as a {@link ServerHandle}. */
export interface Stoppable {
  stop(): Promise<void>;
}

/** How long exit waits for the handles to stop before it gives up on them. */
const STOP_TIMEOUT_MS = 15_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const handles = new Set<Stoppable>();
let installed = false;

/**
 * Registers `handle` to be stopped when the process ends: when the event loop runs dry
 * (`beforeExit`; `process.exitCode` is kept), on SIGINT/SIGTERM/SIGHUP (then the signal is
 * raised again, so the process dies of it as it would have), and on an uncaught exception or
 * unhandled rejection (printed, then exit code 1). A second signal during cleanup kills the
 * process at once. `process.exit()` cannot wait for anything asynchronous, so it is not covered
 * here; embedded servers stop themselves synchronously on exit anyway.
 *
 * @returns `handle`, for `const pg = stopOnExit(await resolvePostgres())`.
 */
export function stopOnExit<T extends Stoppable>(handle: T): T {
  handles.add(handle);
  if (!installed) {
    installed = true;
    process.on('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.on(signal, onSignal);
    process.on('uncaughtException', onUncaughtException);
  }
  return handle;
}

/** Stops every registered handle, concurrently, giving up after {@link STOP_TIMEOUT_MS}. */
async function stopAll(): Promise<void> {
  const stopping = [...handles].map((handle) => handle.stop());
  handles.clear();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_TIMEOUT_MS);
  });
  await Promise.race([Promise.allSettled(stopping), timeout]);
  clearTimeout(timer);
}

function onBeforeExit(): void {
  // Stopping schedules work, so `beforeExit` fires again afterwards; then nothing is left to do
  // and the process exits normally with whatever exit code the program set.
  if (handles.size > 0) void stopAll();
}

/** A repeat of the signal within this window is the same Ctrl-C, relayed by a wrapper (npm, tsx) or the process group. */
const SAME_SIGNAL_WINDOW_MS = 1_000;
let firstSignalAt: number | undefined;

function onSignal(signal: NodeJS.Signals): void {
  if (firstSignalAt !== undefined) {
    // Ctrl-C reaches the whole process group, and wrappers such as tsx relay it once more: ignore that copy, so the
    // cleanup finishes. A second Ctrl-C pressed later kills the process at once.
    if (Date.now() - firstSignalAt < SAME_SIGNAL_WINDOW_MS) return;
    for (const other of SIGNALS) process.removeListener(other, onSignal);
    process.kill(process.pid, signal);
    return;
  }
  firstSignalAt = Date.now();
  void stopAll()
    .then(flushStdio)
    .finally(() => {
      for (const other of SIGNALS) process.removeListener(other, onSignal);
      process.kill(process.pid, signal);
    });
}

/**
 * Resolves once what was written to stdout and stderr has been handed to the OS: writes to a pipe are asynchronous,
 * and the signal re-raised next would otherwise cut off the last lines (such as "…stopped").
 */
function flushStdio(): Promise<void> {
  const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
    new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write('', () => resolve())));
  return Promise.all([flushed(process.stdout), flushed(process.stderr)]).then(() => undefined);
}

function onUncaughtException(error: unknown): void {
  // Listening to `uncaughtException` suppresses Node's own report and exit, so do both here. A
  // failure during cleanup then crashes the normal way.
  process.removeListener('uncaughtException', onUncaughtException);
  console.error(error);
  process.exitCode = 1;
  void stopAll().finally(() => process.exit(1));
}
