/**
 * A child process that runs the TDS test server over PostgreSQL, so that the emulator's CPU work never shares the
 * benchmark's event loop (mssql numbers would otherwise include the server's own JavaScript, and event-loop delay
 * would measure it too). Started by `start-tds-server.ts`; told where PostgreSQL is over IPC, answers with its port,
 * and stops when the parent says so or goes away.
 */
import { createPgEngine, startTdsTestServer, type TdsTestServer } from '@asyncdb/tds-test-server';

/** What the parent sends. */
export interface TdsServerRequest {
  readonly pgUrl: string;
  readonly password: string;
  /** Rows the engine fetches from PostgreSQL per round trip while it streams a result. */
  readonly fetchSize: number;
}

/** What the child answers. */
export type TdsServerReply = { readonly port: number; readonly host: string } | { readonly error: string };

let server: TdsTestServer | undefined;

async function stop(): Promise<void> {
  await server?.close().catch(() => {});
  process.exit(0);
}

process.once('message', (message: TdsServerRequest) => {
  const engine = createPgEngine({ pgUrl: message.pgUrl, password: message.password, fetchSize: message.fetchSize });
  startTdsTestServer({ engine, log: () => {} }).then(
    (started) => {
      server = started;
      process.send?.({ port: started.port, host: started.host } satisfies TdsServerReply);
      process.on('message', () => void stop());
    },
    (error: unknown) => {
      process.send?.({ error: error instanceof Error ? error.message : String(error) } satisfies TdsServerReply);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => void stop());
