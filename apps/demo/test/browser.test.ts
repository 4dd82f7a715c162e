import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/generate-dataset.js';
import { startWebServer, type WebServer } from '../src/web/web-server.js';
import { demoDatabase } from './demo-database.js';

/** Debian's Chromium (`apt-get install chromium`); .ci/run installs it when it is missing. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
// Written under test-results/ (ignored) so that running the tests never changes a tracked file; the README's copy in
// docs/ is refreshed on purpose with DEMO_UPDATE_SCREENSHOT=1 when the page changes.
const SCREENSHOT_DIR = process.env.DEMO_UPDATE_SCREENSHOT === '1' ? '../docs/' : '../test-results/';
const SCREENSHOT = fileURLToPath(new URL(`${SCREENSHOT_DIR}customer-page.png`, import.meta.url));

/** What the MutationObserver saw: the shell's heading, then each section as it was filled. */
interface Observed {
  readonly shellAt: number | null;
  readonly fills: ReadonlyArray<{
    readonly id: string;
    readonly state: string;
    readonly at: number;
    readonly order: number;
    readonly completedMs: number;
    readonly stillLoading: number;
  }>;
}

/**
 * Installed before the page's own scripts: records when the shell's <h1> is parsed and every change of a
 * section's `data-state`, with the browser's clock — the order a person sees things appear.
 */
function observeSections(): void {
  const observed: { shellAt: number | null; fills: unknown[] } = { shellAt: null, fills: [] };
  (window as unknown as { __observed: typeof observed }).__observed = observed;
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'childList' && observed.shellAt === null) {
        for (const node of record.addedNodes) if (node.nodeName === 'H1') observed.shellAt = performance.now();
      }
      if (record.type === 'attributes' && record.target instanceof HTMLElement) {
        const section = record.target;
        if (section.dataset.state === 'loading') continue;
        observed.fills.push({
          id: section.id.replace('slot-', ''),
          state: section.dataset.state,
          at: performance.now(),
          order: Number(section.dataset.order),
          completedMs: Number(section.dataset.completedMs),
          stillLoading: document.querySelectorAll('section[data-state="loading"]').length,
        });
      }
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
}

const dataset = generateDataset();
let browser: Browser;
let server: WebServer;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing: the demo's browser test drives Debian's Chromium at ${CHROMIUM}. ` +
        'Install it with `apt-get install -y chromium` (bash .ci/run does this when it is missing).',
    );
  }
  const { factory, connectionString } = await demoDatabase();
  server = await startWebServer({ factory, connectionString, port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openObserved(path: string): Promise<{ page: Page; observed: Observed }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript(observeSections);
  await page.goto(`${server.url}${path}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.body?.dataset.complete === 'true', undefined, { timeout: 20_000 });
  const observed = await page.evaluate(() => (window as unknown as { __observed: Observed }).__observed);
  return { page, observed };
}

/** A customer whose page looks typical: a handful of orders, and a latest order with several lines. */
function showcaseCustomer() {
  const customer = dataset.customers.find((candidate) => {
    const orders = dataset.orders.filter((order) => order.customerId === candidate.customerId);
    const latest = Math.max(...orders.map((order) => order.orderId));
    return (
      orders.length >= 6 && orders.length <= 10 && dataset.orderDetails.filter((d) => d.orderId === latest).length >= 4
    );
  });
  if (!customer) throw new Error('The dataset has no customer with 6–10 orders and a latest order of 4+ lines.');
  return customer;
}

describe('the customer page in Chromium', () => {
  it('fills the three sections in the order their queries completed, and saves a screenshot', async () => {
    const customer = showcaseCustomer();
    const { page, observed } = await openObserved(`/customers/${customer.customerId}`);
    try {
      // Delays: customer 0.6 s, orders 0.9 s, details 0.3 s.
      expect(observed.fills.map((fill) => fill.id)).toEqual(['details', 'customer', 'orders']);
      expect(observed.fills.map((fill) => fill.state)).toEqual(['done', 'done', 'done']);
      expect(observed.fills.map((fill) => fill.order)).toEqual([1, 2, 3]);
      // The order on screen is the order the server saw the queries complete.
      const completed = observed.fills.map((fill) => fill.completedMs);
      expect(completed).toEqual([...completed].sort((a, b) => a - b));
      // Progressive: each section appeared while the later ones were still loading, after the shell.
      expect(observed.fills.map((fill) => fill.stillLoading)).toEqual([2, 1, 0]);
      expect(observed.shellAt).not.toBeNull();
      expect(observed.shellAt!).toBeLessThan(observed.fills[0]!.at);

      await expect(page.locator('#slot-customer .company').textContent()).resolves.toBe(customer.companyName);
      const orders = dataset.orders.filter((order) => order.customerId === customer.customerId);
      await expect(page.locator('#slot-orders tbody tr').count()).resolves.toBe(orders.length);
      await expect(page.locator('#slot-details .badge').textContent()).resolves.toMatch(/^#1 · [\d.]+ m?s$/);
      await expect(page.locator('#tl-orders .label').textContent()).resolves.toMatch(/^#3 at [\d.]+ s$/);
      await expect(page.locator('#summary').textContent()).resolves.toMatch(
        /^All three sections in [\d.]+ s — the slowest query alone/,
      );
      // The page asked the server something else while it was loading, and got its answer before the last section.
      await expect(page.locator('#ping').textContent()).resolves.toMatch(
        /^Meanwhile the server answered another request \(\/api\/ping\) in \d+ ms, with [123] sections? of this page still loading\.$/,
      );

      mkdirSync(fileURLToPath(new URL(SCREENSHOT_DIR, import.meta.url)), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: 'disabled' });
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await page.close();
    }
  });

  it('follows the queries, not the layout: with other delays the sections arrive in another order', async () => {
    const { page, observed } = await openObserved('/customers/2?delays=0.9,0.3,0.6');
    try {
      expect(observed.fills.map((fill) => fill.id)).toEqual(['orders', 'details', 'customer']);
      expect(observed.fills.map((fill) => fill.stillLoading)).toEqual([2, 1, 0]);
    } finally {
      await page.close();
    }
  });

  it('is a usable site: the home page filters customers and links to their pages', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/`);
      await expect(page.locator('.customers li').count()).resolves.toBe(dataset.customers.length);
      const city = dataset.customers[0]!.city;
      await page.locator('input.filter').fill(city);
      const visible = await page.locator('.customers li:visible').allTextContents();
      expect(visible.length).toBe(
        dataset.customers.filter((c) => c.city === city || c.companyName.includes(city)).length,
      );
      expect(visible.every((text) => text.includes(city))).toBe(true);
      await page.locator('.customers li:visible a').first().click();
      await page.waitForFunction(() => document.body?.dataset.complete === 'true', undefined, { timeout: 20_000 });
      expect(page.url()).toMatch(/\/customers\/\d+$/);
      await expect(page.locator('section[data-state="done"]').count()).resolves.toBe(3);
    } finally {
      await page.close();
    }
  });
});
