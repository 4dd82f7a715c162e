/**
 * Errors raised while reading bytes from a client. The server decides what each costs: a
 * framing error closes the connection (the byte stream can no longer be trusted), a request
 * payload error becomes an ERROR token for that request only.
 */

/** The bytes a client sent do not follow MS-TDS (or use a feature this server does not implement). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
