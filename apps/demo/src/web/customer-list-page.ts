import type { DbRow } from '@asyncdb/core';
import { markup, raw, type SafeHtml } from './html.js';
import { pageEnd, pageStart } from './layout.js';
import type { PageContext } from './customer-page.js';
import { readAll } from '../read-all.js';

const FILTER_SCRIPT = raw(`<script>
function asyncdbFilter(input) {
  var needle = input.value.toLowerCase();
  document.querySelectorAll('.customers li').forEach(function (item) {
    item.hidden = needle !== '' && item.textContent.toLowerCase().indexOf(needle) < 0;
  });
  document.querySelectorAll('.customers .country').forEach(function (group) {
    group.hidden = group.querySelectorAll('li:not([hidden])').length === 0;
  });
}
</script>`);

/** The home page: every customer, grouped by country, each linking to its asynchronous customer page. */
export async function renderCustomerListPage(context: PageContext): Promise<SafeHtml> {
  await using connection = context.factory.createConnection(context.connectionString);
  await connection.open();
  const command =
    connection.createCommand(`SELECT c.customer_id, c.company_name, c.city, c.country, COUNT(o.order_id) AS orders
FROM demo_customers c LEFT JOIN demo_orders o ON o.customer_id = c.customer_id
GROUP BY c.customer_id, c.company_name, c.city, c.country
ORDER BY c.country, c.company_name`);
  const rows = await readAll(await command.executeReader());
  const countries = new Map<string, DbRow[]>();
  for (const row of rows) {
    const country = String(row.country);
    countries.set(country, [...(countries.get(country) ?? []), row]);
  }
  return markup`${pageStart('Customers', markup`Customers`, FILTER_SCRIPT)}
<h1>Customers</h1>
<p class="lead">${rows.length} customers in ${countries.size} countries. Open one: its page begins three slow queries at once
and streams each section in as soon as its query completes.</p>
<input class="filter" type="search" placeholder="Filter by company or city…" oninput="asyncdbFilter(this)" autofocus>
<div class="customers">${[...countries].map(
    ([country, customers]) =>
      markup`<div class="country"><h3>${country}</h3><ul>${customers.map(
        (row) => markup`<li><a href="/customers/${String(row.customer_id)}">${String(row.company_name)}</a>
<span class="muted">${String(row.city)} · ${String(row.orders)} orders</span></li>`,
      )}</ul></div>`,
  )}</div>
${pageEnd()}`;
}

/** A small page for errors (404, 400, 500). */
export function renderMessagePage(title: string, message: string): SafeHtml {
  return markup`${pageStart(title, markup`<a href="/">Customers</a>`)}
<h1>${title}</h1>
<p class="lead">${message}</p>
<p><a href="/">← All customers</a></p>
${pageEnd()}`;
}
