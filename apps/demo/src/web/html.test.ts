import { describe, expect, it } from 'vitest';
import { escapeHtml, markup, raw } from './html.js';

describe('markup', () => {
  it('escapes every interpolated value', () => {
    const name = `Tom & Jerry's <b>"Deli"</b>`;
    expect(markup`<td title="${name}">${name}</td>`.value).toBe(
      '<td title="Tom &amp; Jerry&#39;s &lt;b&gt;&quot;Deli&quot;&lt;/b&gt;">Tom &amp; Jerry&#39;s &lt;b&gt;&quot;Deli&quot;&lt;/b&gt;</td>',
    );
  });

  it('keeps safe fragments and joins arrays; null, undefined and false print nothing', () => {
    const items = ['<a>', 'b'].map((item) => markup`<li>${item}</li>`);
    expect(markup`<ul>${items}</ul>${null}${undefined}${false}${raw('<br>')}${0}`.value).toBe(
      '<ul><li>&lt;a&gt;</li><li>b</li></ul><br>0',
    );
  });

  it('escapes the five special characters', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});
