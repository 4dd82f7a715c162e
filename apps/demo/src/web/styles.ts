/** The stylesheet every page inlines: one request per page, and nothing to serve besides the HTML. */
export const STYLES = `
:root {
  --bg: #f4f6fb; --card: #ffffff; --ink: #1d2433; --muted: #667085; --line: #e4e8f0;
  --accent: #3557d5; --accent-soft: #e8edff; --ok: #12805c; --ok-soft: #e3f6ee; --warn: #b54708; --bad: #c0262d;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: #182036; color: #fff; padding: 14px 28px; display: flex; align-items: baseline; gap: 18px; }
header.top .brand { font-weight: 700; font-size: 18px; letter-spacing: .2px; color: #fff; }
header.top .brand span { color: #8fa6ff; }
header.top nav { color: #b8c2dc; font-size: 14px; }
header.top nav a { color: #b8c2dc; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 26px; margin: 0 0 4px; }
.lead { color: var(--muted); margin: 0 0 20px; font-size: 14px; }
.grid { display: grid; grid-template-columns: 1fr 1.25fr; gap: 18px; align-items: start; }
.wide { grid-column: 1 / -1; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 18px 20px;
  box-shadow: 0 1px 2px rgba(16,24,40,.04); }
.card h2 { font-size: 15px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); margin: 0 0 12px;
  display: flex; justify-content: space-between; align-items: center; }
.badge { font-size: 12px; text-transform: none; letter-spacing: 0; border-radius: 999px; padding: 2px 10px;
  background: var(--accent-soft); color: var(--accent); font-weight: 600; }
.badge.done { background: var(--ok-soft); color: var(--ok); }
.badge.failed { background: #fde8e8; color: var(--bad); }
.skeleton { height: 14px; border-radius: 6px; margin: 10px 0;
  background: linear-gradient(90deg, #eef1f6 25%, #f7f9fc 50%, #eef1f6 75%); background-size: 200% 100%;
  animation: shimmer 1.2s infinite linear; }
.skeleton.short { width: 55%; }
@keyframes shimmer { from { background-position: 200% 0; } to { background-position: -200% 0; } }
section[data-state="done"] { animation: arrive .5s ease-out; }
@keyframes arrive { from { box-shadow: 0 0 0 3px rgba(18,128,92,.45); } to { box-shadow: 0 1px 2px rgba(16,24,40,.04); } }
dl.facts { display: grid; grid-template-columns: 110px 1fr; gap: 6px 12px; margin: 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.company { font-size: 20px; font-weight: 650; margin: 0 0 12px; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th { text-align: left; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid #f0f2f7; padding: 6px 8px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr:last-child td { border-bottom: none; }
.scroll { max-height: 420px; overflow: auto; }
.muted { color: var(--muted); }
.pill { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 999px; background: #fff4e5; color: var(--warn); }
.timing { margin-top: 12px; font-size: 12.5px; color: var(--muted); font-family: var(--mono); }
.timeline { font-size: 13px; }
.timeline .row { display: grid; grid-template-columns: 200px 1fr 120px; gap: 12px; align-items: center; margin: 6px 0; }
.timeline .track { position: relative; height: 12px; background: #eef1f6; border-radius: 6px; overflow: hidden; }
.timeline .bar { position: absolute; left: 0; top: 0; bottom: 0; width: 0; background: var(--accent); border-radius: 6px;
  transition: width .3s ease-out; }
.timeline .row.done .bar { background: var(--ok); }
.timeline .label { font-family: var(--mono); color: var(--muted); text-align: right; }
.summary { margin-top: 10px; font-size: 13.5px; }
.summary strong { color: var(--ok); }
.error { color: var(--bad); font-family: var(--mono); font-size: 13px; }
.customers { columns: 3 300px; column-gap: 24px; }
.customers .country { break-inside: avoid; margin-bottom: 14px; }
.customers h3 { font-size: 13px; text-transform: uppercase; letter-spacing: .5px; color: var(--muted); margin: 0 0 6px; }
.customers ul { list-style: none; padding: 0; margin: 0; }
.customers li { padding: 3px 0; font-size: 14px; display: flex; justify-content: space-between; gap: 8px; }
.customers li .muted { font-size: 12px; }
input.filter { width: 320px; max-width: 100%; padding: 8px 12px; border: 1px solid var(--line); border-radius: 8px;
  font-size: 14px; margin-bottom: 18px; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 22px; }
code { font-family: var(--mono); font-size: 12.5px; background: #eef1f6; padding: 1px 5px; border-radius: 4px; }
`;
