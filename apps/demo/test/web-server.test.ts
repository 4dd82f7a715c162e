import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbProviderFactory } from '@asyncdb/core';
import { generateDataset } from '../src/dataset/generate-dataset.js';
import { startWebServer, type WebServer } from '../src/web/web-server.js';
import { demoDatabase } from './demo-database.js';
import { startStopwatch } from '../src/timing.js';

const dataset = generateDataset();
let factory: DbProviderFactory;
let connectionString: string;
let server: WebServer;

beforeAll(async () => {
  ({ factory, connectionString } = await demoDatabase());
  server = await startWebServer({ factory, connectionString, port: 0 });
});

afterAll(async () => {
  await server?.close();
});

/** One streamed response: each chunk with the time it arrived, and when the response ended. */
interface Streamed {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly chunks: ReadonlyArray<{ readonly at: number; readonly text: string }>;
  readonly body: string;
  readonly endedAt: number;
}

function stream(path: string, onChunk?: (text: string) => void): Promise<Streamed> {
  const elapsed = startStopwatch();
  return new Promise((resolve, reject) => {
    get(`${server.url}${path}`, (response) => {
      const chunks: Array<{ at: number; text: string }> = [];
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        chunks.push({ at: elapsed(), text });
        onChunk?.(text);
      });
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          chunks,
          body: chunks.map((c) => c.text).join(''),
          endedAt: elapsed(),
        }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });
}

/** The section ids in the order the stream filled them. */
function fillOrder(body: string): string[] {
  return [...body.matchAll(/asyncdbFill\("(\w+)"/g)].map((m) => m[1]!);
}

function ordersOf(customerId: number) {
  return dataset.orders.filter((order) => order.customerId === customerId);
}

describe('the demo web server', () => {
  it('lists every customer on the home page, linking to their asynchronous pages', async () => {
    const page = await stream('/');
    expect(page.status).toBe(200);
    expect(page.body.match(/href="\/customers\/\d+"/g)).toHaveLength(dataset.customers.length);
    expect(page.body).toContain(dataset.customers[0]!.companyName.replace(/&/g, '&amp;').replace(/'/g, '&#39;'));
  });

  it('sends the shell at once, then streams each section as its query completes, and ends when all are in', async () => {
    const customer = dataset.customers[4]!;
    const page = await stream(`/customers/${customer.customerId}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['transfer-encoding']).toBe('chunked');
    // The first chunk is the shell: the three placeholders, and no section yet (the fastest query takes 0.3 s).
    const first = page.chunks[0]!.text;
    expect(first.match(/<section class="card[^"]*" id="slot-\w+" data-state="loading">/g)).toHaveLength(3);
    expect(first).not.toContain('<template');
    // The shell leaves <main> and <body> open for the sections that follow.
    expect(first).not.toMatch(/<\/main>|<\/body>|<\/html>/);
    // Delays 0.6 (customer), 0.9 (orders), 0.3 (details): streamed details, customer, orders.
    expect(fillOrder(page.body)).toEqual(['details', 'customer', 'orders']);
    const arrivals = ['details', 'customer', 'orders'].map((id) =>
      page.chunks.findIndex((c) => c.text.includes(`asyncdbFill("${id}"`)),
    );
    expect(arrivals[0]).toBeGreaterThan(0);
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    expect(new Set(arrivals).size).toBe(3);
    expect(page.body.trimEnd()).toMatch(
      /asyncdbDone\(\{"totalMs":\d+,"sumMs":1800\}\);?\s*<\/script>\s*<footer>.*<\/html>$/s,
    );
    // The content of each section comes from the database.
    const orders = ordersOf(customer.customerId);
    const latest = Math.max(...orders.map((o) => o.orderId));
    const lines = dataset.orderDetails.filter((d) => d.orderId === latest);
    // Markup whitespace is the formatter's business; compare with it collapsed.
    const flat = page.body.replace(/\s+/g, ' ');
    expect(flat).toContain(`<p class="company">${customer.companyName}</p>`);
    expect(flat).toMatch(new RegExp(`<dt>Orders</dt> ?<dd>${orders.length}</dd>`));
    expect(flat.match(/<tr> ?<td>#\d+<\/td>/g)).toHaveLength(orders.length);
    expect(flat).toContain(`Order #${latest} · ${lines.length} line${lines.length === 1 ? '' : 's'}`);
    expect(flat).toMatch(/arrived #1 at [\d.]+ m?s · server delay 0\.3 s/);
  });

  it('follows the completion order, not the page order: other delays, another order', async () => {
    const page = await stream('/customers/2?delays=0.9,0.3,0.6');
    expect(fillOrder(page.body)).toEqual(['orders', 'details', 'customer']);
  });

  it('answers other requests at once while a slow page is still streaming', async () => {
    let shellArrived!: () => void;
    const shell = new Promise<void>((resolve) => (shellArrived = resolve));
    const elapsed = startStopwatch();
    const slowPage = stream('/customers/3?delays=1.5,1.5,1.5', (text) => {
      if (text.includes('<h1>')) shellArrived();
    });
    await shell;
    const [ping, home] = await Promise.all([fetch(`${server.url}/api/ping`), fetch(`${server.url}/`)]);
    expect(ping.status).toBe(200);
    expect(((await ping.json()) as { ok: boolean }).ok).toBe(true);
    expect(home.status).toBe(200);
    await home.text();
    const answeredAt = elapsed();
    const page = await slowPage;
    // Both were answered while the page was still waiting for its queries (1.5 s on the server).
    expect(answeredAt).toBeLessThan(page.chunks.find((c) => c.text.includes('<template'))!.at);
    expect(fillOrder(page.body)).toHaveLength(3);
  });

  it('aborts the running queries on the server when the browser goes away', async () => {
    const activeSleeps = async (): Promise<number> => {
      await using connection = factory.createConnection(connectionString);
      await connection.open();
      const command = connection.createCommand(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(8)%' AND pid <> pg_backend_pid()",
      );
      return Number(await command.executeScalar());
    };
    const request = get(`${server.url}/customers/4?delays=8,8,8`);
    request.on('error', () => {});
    // Begin returns before the statement reaches the server: wait until all three are running there.
    const deadline = startStopwatch();
    while ((await activeSleeps()) < 3) {
      if (deadline() > 5_000) throw new Error('The three queries never ran on the server together.');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = startStopwatch();
    request.destroy();
    while ((await activeSleeps()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    // Canceled on the server, long before the 8 s they would have slept.
    expect(elapsed()).toBeLessThan(6_000);
  });

  it.each([
    ['/customers/999999', 404, 'There is no customer #999999.'],
    ['/customers/1?delays=1,2', 400, 'delays must be 3 numbers of seconds from 0 to 10'],
    ['/customers/1?delays=1,2,99', 400, 'delays must be 3 numbers'],
    ['/nowhere', 404, 'Nothing lives at /nowhere.'],
  ])('%s → %i with a page that says why', async (path, status, message) => {
    const page = await stream(path);
    expect(page.status).toBe(status);
    expect(page.body).toContain(message);
    expect(page.body).toContain('href="/"');
  });

  it('refuses other methods than GET', async () => {
    const response = await fetch(`${server.url}/`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
