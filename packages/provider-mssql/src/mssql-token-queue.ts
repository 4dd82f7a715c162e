import type { AsyncDbError } from '@asyncdb/core';
import type { TediousColumnMetadata } from './mssql-tedious.js';

/** What comes between rows: a result set's columns, a statement's DONE count, an ERROR token. */
export type MssqlMarker =
  | { readonly kind: 'columns'; readonly columns: readonly TediousColumnMetadata[] }
  | { readonly kind: 'done'; readonly rowCount: number | undefined }
  | { readonly kind: 'error'; readonly error: AsyncDbError };

/**
 * A queued token: a row, already converted (an array of values), or a marker (an object). Rows are queued bare —
 * no wrapper object each — because a streamed result queues hundreds of thousands of them.
 */
export type MssqlQueued = unknown[] | MssqlMarker;

/** Initial capacity; a power of two, so positions wrap with a mask. */
const INITIAL_CAPACITY = 8;

/**
 * The tokens of one request, in stream order, between tedious (which pushes them) and the reader (which takes them).
 * A ring buffer: pushing and taking allocate nothing once it has grown to the flow-control window, and a taken slot is
 * cleared at once so its row can be collected as soon as the reader is done with it. It also counts the rows it
 * holds, for flow control.
 */
export class MssqlTokenQueue {
  #slots: Array<MssqlQueued | undefined> = new Array<MssqlQueued | undefined>(INITIAL_CAPACITY);
  #head = 0;
  #length = 0;
  #rows = 0;

  /** Rows queued (markers not counted). */
  get rowCount(): number {
    return this.#rows;
  }

  /** Appends a row or a marker. */
  push(item: MssqlQueued): void {
    if (this.#length === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#length) & (this.#slots.length - 1)] = item;
    this.#length += 1;
    if (Array.isArray(item)) this.#rows += 1;
  }

  /** The oldest item, left in the queue; `undefined` when empty. */
  peek(): MssqlQueued | undefined {
    return this.#length === 0 ? undefined : this.#slots[this.#head];
  }

  /** Removes and returns the oldest item; `undefined` when empty. */
  take(): MssqlQueued | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#slots[this.#head];
    this.#slots[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#slots.length - 1);
    this.#length -= 1;
    if (Array.isArray(item)) this.#rows -= 1;
    return item;
  }

  /** Moves the rows at the front (up to `max`, stopping at the first marker) into `into`; returns how many. */
  takeRows(max: number, into: unknown[][]): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    let head = this.#head;
    let taken = 0;
    while (taken < max && taken < this.#length) {
      const item = slots[head];
      if (!Array.isArray(item)) break;
      slots[head] = undefined;
      into.push(item);
      head = (head + 1) & mask;
      taken += 1;
    }
    this.#head = head;
    this.#length -= taken;
    this.#rows -= taken;
    return taken;
  }

  /** Drops everything queued. */
  clear(): void {
    if (this.#length > 0) this.#slots.fill(undefined);
    this.#head = 0;
    this.#length = 0;
    this.#rows = 0;
  }

  #grow(): void {
    const slots = this.#slots;
    const grown = new Array<MssqlQueued | undefined>(slots.length * 2);
    for (let index = 0; index < this.#length; index += 1)
      grown[index] = slots[(this.#head + index) & (slots.length - 1)];
    this.#slots = grown;
    this.#head = 0;
  }
}
