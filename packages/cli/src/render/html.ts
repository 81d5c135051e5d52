/**
 * A self-contained HTML page with the math typeset by KaTeX on the server side (katex.renderToString), so the
 * page needs no script. The KaTeX style sheet (with its fonts inlined as data: URLs) is passed in as `css` by
 * the caller (the CLI reads it from the katex package); `usedKatexClasses` tells which fonts a page needs.
 */
import katex from 'katex';
import type { Block, Doc, Inline } from 'nabla/teach';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function tex(source: string, display: boolean): string {
  return katex.renderToString(source, { displayMode: display, throwOnError: true, strict: 'error' });
}

function inline(content: readonly Inline[]): string {
  return content
    .map((c) => {
      if (typeof c === 'string') return escapeHtml(c);
      if ('math' in c) return tex(c.math, false);
      return `<code>${escapeHtml(c.code)}</code>`;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `<h${b.level}>${inline(b.content)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${inline(b.content)}</p>`;
    case 'equation': {
      const lines = b.rhs.map((r, j) => (j === 0 ? `${b.lhs} &= ${r}` : `&= ${r}`));
      const source = b.rhs.length === 0 ? b.lhs : `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}`;
      return `<div class="eq">${tex(source, true)}</div>`;
    }
    case 'list':
      return `<ul>${b.items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
    case 'table':
      return `<table><thead><tr>${b.head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'code':
      return `<pre>${escapeHtml(b.text)}</pre>`;
    case 'break':
      return '<hr>';
  }
}

const PAGE_CSS = `body{font-family:Georgia,'Times New Roman',serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#111}
.eq{overflow-x:auto;margin:0.6rem 0}
table{border-collapse:collapse;margin:1rem 0}th,td{border-top:1px solid #999;border-bottom:1px solid #999;padding:0.3rem 0.8rem;text-align:left}
code{font-size:0.95em}
@media print{body{max-width:none}}`;

export interface HtmlOptions {
  /** KaTeX's style sheet with fonts inlined (without it the math is laid out but uses fallback fonts). */
  css?: string;
}

/** The page's body markup (KaTeX-rendered), without the <head>. */
export function renderHtmlBody(doc: Doc): string {
  return doc.blocks.map(block).join('\n');
}

export function renderHtml(doc: Doc, opts: HtmlOptions = {}): string {
  const body = renderHtmlBody(doc);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${opts.css ?? ''}\n${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Every class name used in rendered markup (to choose which KaTeX fonts to inline). */
export function usedClasses(html: string): Set<string> {
  const out = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of m[1]!.split(/\s+/)) if (c) out.add(c);
  return out;
}
