import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Request } from 'tedious';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { tediousSuite } from '../testing/tedious-suite.js';

const ROWS = 200_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A full garbage collection, so heap figures show what is retained rather than what is not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('streaming with backpressure', () => {
  const engine = new FakeEngine();
  const tds = tediousSuite({ engine, log: () => undefined }, { packetSize: 8192 });

  it('pulls engine events only as fast as a paused/resumed client reads 200 000 rows', async () => {
    const text = 'r'.repeat(200); // ~410 bytes a row: ~80 MB in all, far more than any socket buffer
    engine.script.batch = async function* (): AsyncGenerator<EngineEvent> {
      yield {
        kind: 'columns',
        columns: [
          { name: 'id', type: 'int', nullable: false },
          { name: 'text', type: 'nvarchar', length: 200, nullable: false },
        ],
      };
      for (let i = 0; i < ROWS; i++) yield { kind: 'row', values: [i, text] };
      yield { kind: 'done', rowCount: ROWS };
    };
    const pulledAtStart = engine.pulled;
    let received = 0;
    let maxAhead = 0;
    let idsInOrder = true;
    const pauses: Array<{ received: number; pulledAfterPause: number; pulledLater: number }> = [];
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    let retainedPeak = 0;

    const completed = new Promise<{ error: Error | null | undefined; rowCount: number | undefined }>((resolve) => {
      const request = new Request('select 200000 rows', (error, rowCount) => resolve({ error, rowCount }));
      request.on('row', (columns) => {
        if ((columns[0]!.value as number) !== received) idsInOrder = false;
        received++;
        const ahead = engine.pulled - pulledAtStart - received;
        if (ahead > maxAhead) maxAhead = ahead;
        if (received % 50_000 === 0) {
          // Stop reading for a while: the server must stop pulling from the engine.
          request.pause();
          void (async () => {
            await sleep(150);
            collectGarbage();
            retainedPeak = Math.max(retainedPeak, process.memoryUsage().heapUsed - heapBefore);
            const pulledAfterPause = engine.pulled - pulledAtStart;
            await sleep(250);
            pauses.push({ received, pulledAfterPause, pulledLater: engine.pulled - pulledAtStart });
            request.resume();
          })();
        }
      });
      tds.connection.execSqlBatch(request);
    });
    const result = await completed;

    expect(result.error ?? undefined).toBeUndefined();
    expect(result.rowCount).toBe(ROWS);
    expect(received).toBe(ROWS);
    expect(idsInOrder).toBe(true);
    expect(pauses).toHaveLength(4);
    for (const pause of pauses) {
      // While the client is paused the server stops pulling: nothing more after the socket buffers filled.
      expect(pause.pulledLater).toBe(pause.pulledAfterPause);
      // …and it was never far ahead: what sits in the TCP buffers, not the result set.
      expect(pause.pulledLater - pause.received).toBeLessThan(ROWS / 4);
    }
    expect(maxAhead).toBeLessThan(ROWS / 4);
    // An ~80 MB result is never held on the heap: what is retained mid-stream is buffers, not the result.
    expect(retainedPeak).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);
});
