/**
 * The errors that report an operation stopped because its connection was closed under it. They stay
 * `InvalidOperationError`s for the Promise API (ADO.NET's "connection is closed"), but the operation was canceled,
 * not faulted: a Begin operation's `status` reads 'canceled' (OLE DB's DB_E_CANCELED) when its error is one of these.
 */
const canceledByClose = new WeakSet<object>();

/** Marks `error` as the failure of an operation that `close()` stopped. Returns it. */
export function markCanceledByClose<E extends Error>(error: E): E {
  canceledByClose.add(error);
  return error;
}

/** True when `error` reports an operation that `close()` stopped. */
export function isCanceledByClose(error: unknown): boolean {
  return typeof error === 'object' && error !== null && canceledByClose.has(error);
}
