/** A database server a test run, the demo or a benchmark can connect to. */
export interface ServerHandle {
  /** Connection URL, including the password if the server needs one; pass it through `redactUrl` before printing. */
  readonly url: string;
  /** Whether the server was started by this process (and is deleted by `stop`) rather than found. */
  readonly embedded: boolean;
  /** Stops an embedded server and deletes its data; a no-op for an external server. Idempotent. */
  stop(): Promise<void>;
}
