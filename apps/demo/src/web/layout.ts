import { markup, raw, type SafeHtml } from './html.js';
import { STYLES } from './styles.js';

const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='4' fill='%233557d5'/%3E%3Cpath d='M4 8h8M8 4v8' stroke='white' stroke-width='2'/%3E%3C/svg%3E";

/**
 * The start of every page, up to and including the opening of `<main>`: sent first, so the browser can paint
 * while the rest is still being computed.
 */
export function pageStart(title: string, breadcrumb: SafeHtml, headScript?: SafeHtml): SafeHtml {
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · asyncdb demo</title>
<link rel="icon" href="${raw(FAVICON)}">
<style>${raw(STYLES)}</style>
${headScript}
</head>
<body>
<header class="top"><a class="brand" href="/">async<span>db</span> demo</a><nav>${breadcrumb}</nav></header>
<main>
`;
}

/** The end of every page. */
export function pageEnd(): SafeHtml {
  return markup`<footer>Served by <code>apps/demo</code> on Node's <code>http</code> module — the ADO.NET 2.0 asynchronous page, in TypeScript.</footer>
</main>
</body>
</html>
`;
}
