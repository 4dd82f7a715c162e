import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The peak resident set size of this process over an interval. On Linux the kernel keeps the peak (VmHWM) and lets a
 * process reset it (`5` into /proc/self/clear_refs), which catches a spike between two samples; elsewhere a sampler
 * (every few milliseconds, plus whenever the reader calls {@link PeakMemory.sample}) stands in.
 */
export class PeakMemory {
  #peakRss = 0;
  #peakHeap = 0;
  #timer: NodeJS.Timeout | undefined;
  #kernelPeak = false;

  /** Forgets the peak so far and starts watching. */
  start(samplingMs = 5): void {
    this.#kernelPeak = resetKernelPeak();
    this.#peakRss = 0;
    this.#peakHeap = 0;
    this.sample();
    this.#timer = setInterval(() => this.sample(), samplingMs);
  }

  /** Records the current usage (cheap enough to call every few thousand rows). */
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peakRss) this.#peakRss = rss;
    const heap = process.memoryUsage().heapUsed;
    if (heap > this.#peakHeap) this.#peakHeap = heap;
  }

  /** Stops watching and returns the peaks. */
  stop(): { readonly rssBytes: number; readonly heapUsedBytes: number; readonly source: 'VmHWM' | 'sampled' } {
    clearInterval(this.#timer);
    this.sample();
    const kernel = this.#kernelPeak ? kernelPeakBytes() : undefined;
    return {
      rssBytes: Math.max(this.#peakRss, kernel ?? 0),
      heapUsedBytes: this.#peakHeap,
      source: kernel === undefined ? 'sampled' : 'VmHWM',
    };
  }
}

function resetKernelPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return kernelPeakBytes() !== undefined;
  } catch {
    return false;
  }
}

function kernelPeakBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
