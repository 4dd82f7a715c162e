import type { DbRow } from '@asyncdb/core';
import { markup, type SafeHtml } from './html.js';

/** The ids of the customer page's three sections. */
export type SectionId = 'customer' | 'orders' | 'details';

/** One section of the customer page: its query, how slow it is made, and how its rows are shown. */
export interface SectionSpec {
  readonly id: SectionId;
  readonly title: string;
  /**
   * The server-side wait before the query, in seconds. Different per section and out of page order, so the
   * sections visibly arrive as their queries complete (details, then customer, then orders), not top to bottom.
   */
  readonly defaultDelaySeconds: number;
  /** The query; `@customerId` is bound to the page's customer. */
  readonly sql: string;
  render(rows: readonly DbRow[]): SafeHtml;
}

/** The three sections, in page order. */
export const CUSTOMER_SECTIONS: readonly SectionSpec[] = Object.freeze([
  {
    id: 'customer',
    title: 'Customer',
    defaultDelaySeconds: 0.6,
    sql: `SELECT c.customer_id, c.company_name, c.contact_name, c.contact_title, c.city, c.country, c.phone,
  (SELECT COUNT(*) FROM demo_orders o WHERE o.customer_id = c.customer_id) AS order_count
FROM demo_customers c
WHERE c.customer_id = @customerId`,
    render: renderCustomer,
  },
  {
    id: 'orders',
    title: 'Orders',
    defaultDelaySeconds: 0.9,
    sql: `SELECT o.order_id, o.order_date, o.shipped_date, o.ship_city, o.freight, e.first_name, e.last_name,
  COUNT(d.product_id) AS line_count, SUM(ROUND(d.unit_price * d.quantity * (1 - d.discount), 2)) AS total
FROM demo_orders o
JOIN demo_employees e ON e.employee_id = o.employee_id
JOIN demo_order_details d ON d.order_id = o.order_id
WHERE o.customer_id = @customerId
GROUP BY o.order_id, o.order_date, o.shipped_date, o.ship_city, o.freight, e.first_name, e.last_name
ORDER BY o.order_date DESC, o.order_id DESC`,
    render: renderOrders,
  },
  {
    id: 'details',
    title: 'Latest order details',
    defaultDelaySeconds: 0.3,
    sql: `SELECT d.order_id, p.product_name, p.category, d.unit_price, d.quantity, d.discount,
  ROUND(d.unit_price * d.quantity * (1 - d.discount), 2) AS line_total
FROM demo_order_details d
JOIN demo_products p ON p.product_id = d.product_id
WHERE d.order_id = (SELECT MAX(o.order_id) FROM demo_orders o WHERE o.customer_id = @customerId)
ORDER BY line_total DESC, p.product_name`,
    render: renderDetails,
  },
]);

function renderCustomer(rows: readonly DbRow[]): SafeHtml {
  const row = rows[0];
  if (!row) return markup`<p class="muted">No such customer.</p>`;
  return markup`<p class="company">${text(row.company_name)}</p>
<dl class="facts">
  <dt>Contact</dt><dd>${text(row.contact_name)} <span class="muted">· ${text(row.contact_title)}</span></dd>
  <dt>City</dt><dd>${text(row.city)}, ${text(row.country)}</dd>
  <dt>Phone</dt><dd>${text(row.phone)}</dd>
  <dt>Customer no.</dt><dd>${text(row.customer_id)}</dd>
  <dt>Orders</dt><dd>${text(row.order_count)}</dd>
</dl>`;
}

function renderOrders(rows: readonly DbRow[]): SafeHtml {
  if (rows.length === 0) return markup`<p class="muted">No orders yet.</p>`;
  return markup`<div class="scroll"><table>
<thead><tr><th>Order</th><th>Ordered</th><th>Shipped</th><th>Taken by</th><th>Ship to</th><th class="num">Lines</th><th class="num">Freight</th><th class="num">Total</th></tr></thead>
<tbody>${rows.map(
    (row) => markup`<tr><td>#${text(row.order_id)}</td><td>${text(row.order_date)}</td>
<td>${row.shipped_date === null ? markup`<span class="pill">not shipped</span>` : text(row.shipped_date)}</td>
<td>${text(row.first_name)} ${text(row.last_name)}</td><td>${text(row.ship_city)}</td>
<td class="num">${text(row.line_count)}</td><td class="num">${money(row.freight)}</td><td class="num">${money(row.total)}</td></tr>`,
  )}</tbody></table></div>`;
}

function renderDetails(rows: readonly DbRow[]): SafeHtml {
  const first = rows[0];
  if (!first) return markup`<p class="muted">No orders yet.</p>`;
  // In cents, so the total matches the orders section's SUM of the same rounded lines to the cent.
  const cents = rows.reduce((sum, row) => sum + Math.round(Number(row.line_total) * 100), 0);
  return markup`<p class="muted">Order #${text(first.order_id)} · ${rows.length} line${rows.length === 1 ? '' : 's'} · ${money((cents / 100).toFixed(2))}</p>
<table>
<thead><tr><th>Product</th><th>Category</th><th class="num">Price</th><th class="num">Qty</th><th class="num">Discount</th><th class="num">Line total</th></tr></thead>
<tbody>${rows.map(
    (row) => markup`<tr><td>${text(row.product_name)}</td><td class="muted">${text(row.category)}</td>
<td class="num">${money(row.unit_price)}</td><td class="num">${text(row.quantity)}</td>
<td class="num">${Number(row.discount) === 0 ? '–' : `${Math.round(Number(row.discount) * 100)} %`}</td><td class="num">${money(row.line_total)}</td></tr>`,
  )}</tbody></table>`;
}

/** A value as text: decimals arrive as exact strings, counts as numbers or bigints, dates as `YYYY-MM-DD`. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** An exact decimal string shown as money, grouping thousands without going through a float. */
function money(value: unknown): string {
  const [whole = '0', fraction = '00'] = text(value).split('.');
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}
