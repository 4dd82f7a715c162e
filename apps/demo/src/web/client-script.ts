import { raw, type SafeHtml } from './html.js';

/**
 * The customer page's only script, in the `<head>` so it exists before any section arrives. Each streamed section
 * is a `<template>` followed by a call to `asyncdbFill`, which moves the template's content into its placeholder
 * and updates the timeline; `asyncdbDone` writes the summary when the last one has arrived. A `/api/ping` request
 * sent while the page is still loading shows that the server keeps answering other requests.
 */
export const CUSTOMER_PAGE_SCRIPT: SafeHtml = raw(`<script>
function asyncdbFill(name, info) {
  var slot = document.getElementById('slot-' + name);
  var template = document.getElementById('tpl-' + name);
  slot.replaceChildren(template.content.cloneNode(true));
  template.remove();
  slot.dataset.order = String(info.order);
  slot.dataset.completedMs = String(info.completedMs);
  slot.dataset.state = info.failed ? 'failed' : 'done';
  var row = document.getElementById('tl-' + name);
  row.classList.add('done');
  row.querySelector('.bar').style.width = Math.min(100, (100 * info.completedMs) / info.scaleMs).toFixed(1) + '%';
  row.querySelector('.label').textContent = '#' + info.order + ' at ' + (info.completedMs / 1000).toFixed(2) + ' s';
}
function asyncdbDone(info) {
  var summary = document.getElementById('summary');
  summary.innerHTML = 'All three sections in <strong>' + (info.totalMs / 1000).toFixed(2) + ' s</strong> — ' +
    'the slowest query alone; one after another they would take about ' + (info.sumMs / 1000).toFixed(2) + ' s.';
  document.body.dataset.complete = 'true';
}
function asyncdbPing() {
  var started = performance.now();
  fetch('/api/ping').then(function (response) { return response.json(); }).then(function () {
    var ms = performance.now() - started;
    var pending = document.querySelectorAll('section[data-state="loading"]').length;
    document.getElementById('ping').textContent = 'Meanwhile the server answered another request (/api/ping) in ' +
      ms.toFixed(0) + ' ms, with ' + pending + ' section' + (pending === 1 ? '' : 's') + ' of this page still loading.';
  });
}
</script>`);
