/** Polls `check` every 50 ms until it resolves true; rejects after `timeoutMs` naming what was awaited. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
