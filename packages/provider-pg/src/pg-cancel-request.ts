import { connect, type Socket } from 'node:net';

/** The backend a CancelRequest names: where it listens, and the key it handed out in BackendKeyData. */
export interface PgCancelTarget {
  readonly host: string;
  readonly port: number;
  readonly processId: number;
  readonly secretKey: number;
}

/** How long to wait for the server to acknowledge a CancelRequest (by closing the socket). */
export const CANCEL_REQUEST_TIMEOUT_MS = 5_000;

/** CancelRequest code: 1234 in the high 16 bits, 5678 in the low (protocol-message-formats). */
const CANCEL_REQUEST_CODE = 80877102;

/** Counters for tests and diagnostics: the late-cancel guard is proven by `sent` not moving. @internal */
export const pgCancelRequestStats = { sent: 0 };

/** The CancelRequest packet: length, code, process id, secret key. */
export function cancelRequestPacket(processId: number, secretKey: number): Buffer {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(processId, 8);
  packet.writeInt32BE(secretKey, 12);
  return packet;
}

/**
 * Sends a CancelRequest on a new connection and resolves once the server has closed it: PostgreSQL closes the
 * socket after it has signalled the backend, so when this resolves the cancel can no longer arrive "late" relative
 * to anything we send afterwards on the session. Never rejects (cancellation is best effort); resolves false when
 * the request could not be delivered within {@link CANCEL_REQUEST_TIMEOUT_MS}.
 */
export function sendCancelRequest(target: PgCancelTarget, timeoutMs = CANCEL_REQUEST_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    let socket: Socket;
    let delivered = false;
    // A host starting with '/' is a Unix socket directory, as in libpq.
    if (target.host.startsWith('/')) socket = connect(`${target.host}/.s.PGSQL.${target.port}`);
    else socket = connect(target.port, target.host);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.once('connect', () => {
      pgCancelRequestStats.sent += 1;
      socket.write(cancelRequestPacket(target.processId, target.secretKey), () => {
        delivered = true;
      });
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(delivered && !timedOut);
    });
  });
}
