import { delay } from '../helpers/delay.js';

/**
 * Polls `probe` every 50 ms until it resolves true, for server state that changes asynchronously (a session ending,
 * a statement starting); rejects after `attempts` tries (5 s by default). Errors thrown by `probe` are not retried.
 */
export async function eventually(probe: () => Promise<boolean>, attempts = 100): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await probe()) return;
    await delay(50);
  }
  throw new Error('The condition did not become true.');
}
