import type { ServerResponse } from 'node:http';
import { WaitHandle, type DbConnection, type DbProviderFactory } from '@asyncdb/core';
import { CUSTOMER_PAGE_SCRIPT } from './client-script.js';
import { CUSTOMER_SECTIONS, type SectionId, type SectionSpec } from './customer-sections.js';
import { markup, raw, type SafeHtml } from './html.js';
import { pageEnd, pageStart } from './layout.js';
import { dialectFor } from '../dialects.js';
import { readAll } from '../read-all.js';
import { formatDuration, startStopwatch } from '../timing.js';

/** Where the page's queries go. */
export interface PageContext {
  readonly factory: DbProviderFactory;
  readonly connectionString: string;
}

/** Server-side delays per section, in seconds. */
export type SectionDelays = Readonly<Record<SectionId, number>>;

/** The longest a page waits for its queries; the rest are aborted and shown as timed out. */
const PAGE_TIMEOUT_MS = 30_000;

/** The default delays of {@link CUSTOMER_SECTIONS}. */
export const DEFAULT_DELAYS: SectionDelays = Object.freeze(
  Object.fromEntries(CUSTOMER_SECTIONS.map((section) => [section.id, section.defaultDelaySeconds])) as Record<
    SectionId,
    number
  >,
);

/**
 * The asynchronous customer page, after ASP.NET 2.0's asynchronous pages: it begins three queries (customer,
 * orders, order details) with `beginExecuteReader` on three connections, sends the page shell at once with three
 * placeholders, then — in a `WaitHandle.waitAny` loop — ends each query as it completes and streams its section
 * (a `<template>` and a one-line script that moves it into its placeholder). The first query to finish appears
 * first. The response ends when all three are in. If the browser goes away, the remaining queries are aborted.
 *
 * @returns false when the customer does not exist (nothing was written; the caller answers 404).
 */
export async function renderCustomerPage(
  context: PageContext,
  customerId: number,
  delays: SectionDelays,
  response: ServerResponse,
): Promise<boolean> {
  const elapsed = startStopwatch();
  const dialect = dialectFor(context.factory);
  const connections = CUSTOMER_SECTIONS.map(() => context.factory.createConnection(context.connectionString));
  try {
    await Promise.all(connections.map((connection) => connection.open()));
    const companyName = await findCompanyName(connections[0]!, customerId);
    if (companyName === undefined) return false;

    const pending = CUSTOMER_SECTIONS.map((section, index) => {
      const command = connections[index]!.createCommand(`${dialect.delay(delays[section.id])};\n${section.sql}`);
      command.parameters.addWithValue('@customerId', customerId);
      return { section, command, result: command.beginExecuteReader() };
    });

    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    response.write(shell(companyName, customerId, delays).value);
    // A browser that leaves stops the queries still running: nobody would read them.
    const onClose = (): void => {
      if (!response.writableFinished) for (const entry of pending) entry.result.abort();
    };
    response.on('close', onClose);

    const scaleMs = Math.max(...Object.values(delays)) * 1000 * 1.25;
    let timedOut = false;
    let order = 0;
    while (pending.length > 0) {
      const handles = pending.map((entry) => entry.result.asyncWaitHandle);
      // After a timeout the queries are aborted, and an aborted query always settles: wait for it without limit.
      const index = await WaitHandle.waitAny(handles, timedOut ? undefined : Math.max(1, PAGE_TIMEOUT_MS - elapsed()));
      if (index === WaitHandle.WaitTimeout) {
        timedOut = true;
        for (const entry of pending) entry.result.abort();
        continue;
      }
      order += 1;
      const [entry] = pending.splice(index, 1);
      const { section, command, result } = entry!;
      const completedMs = elapsed();
      let body: SafeHtml;
      let failed = false;
      try {
        body = section.render(await readAll(await command.endExecuteReader(result)));
      } catch (error) {
        failed = true;
        body = markup`<p class="error">${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}</p>`;
      }
      if (!response.destroyed) {
        response.write(
          sectionChunk(section, body, { order, completedMs, scaleMs, failed, delaySeconds: delays[section.id] }).value,
        );
      }
    }
    const sumMs = Object.values(delays).reduce((sum, seconds) => sum + seconds * 1000, 0);
    response.off('close', onClose);
    if (!response.destroyed) {
      response.end(
        markup`<script>asyncdbDone(${raw(JSON.stringify({ totalMs: Math.round(elapsed()), sumMs }))})</script>\n${pageEnd()}`
          .value,
      );
    }
    return true;
  } finally {
    await Promise.all(connections.map((connection) => connection.close()));
  }
}

/** A quick indexed lookup before the slow queries, so that an unknown customer gets a real 404. */
async function findCompanyName(connection: DbConnection, customerId: number): Promise<string | undefined> {
  const command = connection.createCommand('SELECT company_name FROM demo_customers WHERE customer_id = @customerId');
  command.parameters.addWithValue('@customerId', customerId);
  const name = await command.executeScalar<string>();
  return name ?? undefined;
}

/** Everything up to the three placeholders, sent before any query has completed. */
function shell(companyName: string, customerId: number, delays: SectionDelays): SafeHtml {
  const placeholder = (section: SectionSpec, className: string): SafeHtml =>
    markup`<section class="card ${className}" id="slot-${section.id}" data-state="loading">
<h2>${section.title} <span class="badge">loading…</span></h2>
<div class="skeleton"></div><div class="skeleton"></div><div class="skeleton short"></div>
</section>
`;
  const [customer, orders, details] = CUSTOMER_SECTIONS as [SectionSpec, SectionSpec, SectionSpec];
  return markup`${pageStart(companyName, markup`<a href="/">Customers</a> › ${companyName}`, CUSTOMER_PAGE_SCRIPT)}
<h1>${companyName}</h1>
<p class="lead">Customer #${customerId}. This page began three queries with <code>beginExecuteReader</code>, sent this shell at once,
and streams each section in as its query completes — whichever finishes first appears first.</p>
<div class="grid">
<section class="card wide timeline" id="timeline">
<h2>Query timeline <span class="badge">WaitHandle.waitAny</span></h2>
${CUSTOMER_SECTIONS.map(
  (
    section,
  ) => markup`<div class="row" id="tl-${section.id}"><div>${section.title} <span class="muted">(${delays[section.id]} s)</span></div>
<div class="track"><div class="bar"></div></div><div class="label">running…</div></div>
`,
)}<div class="summary" id="summary">Waiting for the queries…</div>
<div class="summary muted" id="ping"></div>
<script>asyncdbPing()</script>
</section>
${placeholder(customer, '')}${placeholder(details, '')}${placeholder(orders, 'wide')}</div>
`;
}

interface ChunkInfo {
  readonly order: number;
  readonly completedMs: number;
  readonly scaleMs: number;
  readonly failed: boolean;
  readonly delaySeconds: number;
}

/** One streamed section: its content in a `<template>`, then the call that moves it into the placeholder. */
function sectionChunk(section: SectionSpec, body: SafeHtml, info: ChunkInfo): SafeHtml {
  const badge = info.failed
    ? markup`<span class="badge failed">failed</span>`
    : markup`<span class="badge done">#${info.order} · ${formatDuration(info.completedMs)}</span>`;
  const payload = {
    order: info.order,
    completedMs: Math.round(info.completedMs),
    scaleMs: info.scaleMs,
    failed: info.failed,
  };
  return markup`<template id="tpl-${section.id}"><h2>${section.title} ${badge}</h2>
${body}
<p class="timing">arrived #${info.order} at ${formatDuration(info.completedMs)} · server delay ${info.delaySeconds} s · endExecuteReader</p></template>
<script>asyncdbFill(${raw(JSON.stringify(section.id))}, ${raw(JSON.stringify(payload))})</script>
`;
}
