import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderCustomerListPage, renderMessagePage } from './customer-list-page.js';
import { DEFAULT_DELAYS, renderCustomerPage, type PageContext, type SectionDelays } from './customer-page.js';
import { CUSTOMER_SECTIONS } from './customer-sections.js';
import type { SafeHtml } from './html.js';

/** Where and how to serve. */
export interface WebServerOptions extends PageContext {
  /** Defaults to `127.0.0.1`. */
  readonly host?: string;
  /** 0 picks a free port. Defaults to 0. */
  readonly port?: number;
  /** Receives one line per failed request (the page itself shows the error too). */
  readonly onError?: (error: unknown) => void;
}

/** A running demo web server. */
export interface WebServer {
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting requests, closes open connections, and resolves when the server is closed. Idempotent. */
  close(): Promise<void>;
}

/** The most a `?delays=` override may ask for, per section. */
const MAX_DELAY_SECONDS = 10;

/**
 * Starts the demo's web server on Node's `http` module (no framework): `/` lists the customers, `/customers/:id`
 * is the asynchronous customer page, `/api/ping` answers at once (to show the server stays responsive while pages
 * are loading). `/customers/:id?delays=0.3,0.9,0.6` overrides the three sections' server-side delays, in page
 * order (customer, orders, details).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const context: PageContext = { factory: options.factory, connectionString: options.connectionString };
  const server = createServer((request, response) => {
    handle(context, request, response).catch((error: unknown) => {
      options.onError?.(error);
      if (!response.headersSent) send(response, 500, renderMessagePage('Something went wrong', describe(error)));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

async function handle(context: PageContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, renderMessagePage('Method not allowed', `${request.method ?? '?'} is not supported here.`));
    return;
  }
  if (url.pathname === '/api/ping') {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify({ ok: true, time: new Date().toISOString() }));
    return;
  }
  if (url.pathname === '/') {
    send(response, 200, await renderCustomerListPage(context));
    return;
  }
  const match = /^\/customers\/(\d{1,9})$/.exec(url.pathname);
  if (match) {
    const delays = readDelays(url.searchParams.get('delays'));
    if (typeof delays === 'string') {
      send(response, 400, renderMessagePage('Bad request', delays));
      return;
    }
    const customerId = Number(match[1]);
    if (!(await renderCustomerPage(context, customerId, delays, response))) {
      send(response, 404, renderMessagePage('Customer not found', `There is no customer #${customerId}.`));
    }
    return;
  }
  send(response, 404, renderMessagePage('Not found', `Nothing lives at ${url.pathname}.`));
}

/** The delays of `?delays=a,b,c`, or a message saying what is wrong with them. */
function readDelays(value: string | null): SectionDelays | string {
  if (value === null) return DEFAULT_DELAYS;
  const numbers = value.split(',').map((part) => Number(part.trim()));
  if (
    numbers.length !== CUSTOMER_SECTIONS.length ||
    numbers.some((n) => !Number.isFinite(n) || n < 0 || n > MAX_DELAY_SECONDS)
  ) {
    return `delays must be ${CUSTOMER_SECTIONS.length} numbers of seconds from 0 to ${MAX_DELAY_SECONDS}, comma-separated (${CUSTOMER_SECTIONS.map((s) => s.id).join(', ')}).`;
  }
  return Object.fromEntries(
    CUSTOMER_SECTIONS.map((section, index) => [section.id, numbers[index]!]),
  ) as unknown as SectionDelays;
}

function send(response: ServerResponse, status: number, page: SafeHtml): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(page.value);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
