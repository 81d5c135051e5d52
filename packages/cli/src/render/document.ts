/** One entry point for the three formats, and the text of a whole document (HTML pages with KaTeX's style sheet). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Doc, type DocFormat, renderLatex, renderMarkdown } from 'nabla/teach';
import { type HtmlOptions, renderHtml, renderHtmlBody, usedClasses } from './html.js';

export function renderDocument(doc: Doc, format: DocFormat, opts: HtmlOptions = {}): string {
  switch (format) {
    case 'md':
      return renderMarkdown(doc);
    case 'tex':
      return renderLatex(doc);
    case 'html':
      return renderHtml(doc, opts);
  }
}

let katexCssText: string | undefined;
let katexDir: string | undefined;

/**
 * KaTeX's style sheet for a page whose markup is `body`, with every font the page uses inlined as a woff2
 * data: URL (the families of the rules whose classes occur in the markup, plus KaTeX_Main and KaTeX_Math).
 */
export async function katexCss(body: string): Promise<string> {
  if (katexCssText === undefined || katexDir === undefined) {
    katexDir = dirname(createRequire(import.meta.url).resolve('katex'));
    katexCssText = await readFile(join(katexDir, 'katex.min.css'), 'utf8');
  }
  const css = katexCssText;
  const classes = usedClasses(body);
  const families = new Set(['KaTeX_Main', 'KaTeX_Math']);
  for (const m of css.matchAll(/([^{}]+)\{([^{}]*?font-family:\s*(KaTeX_[A-Za-z0-9]+)[^{}]*)\}/g)) {
    const selectors = m[1]!.split(',');
    const used = selectors.some((sel) => {
      const cls = [...sel.matchAll(/\.([A-Za-z0-9_-]+)/g)].map((x) => x[1]!).filter((c) => c !== 'katex');
      return cls.length > 0 && cls.every((c) => classes.has(c));
    });
    if (used) families.add(m[3]!);
  }
  const faces: string[] = [];
  for (const m of css.matchAll(/@font-face\{([^}]*)\}/g)) {
    const family = /font-family:\s*(KaTeX_[A-Za-z0-9]+)/.exec(m[1]!)?.[1];
    const woff2 = /url\((fonts\/[^)]+\.woff2)\)/.exec(m[1]!)?.[1];
    if (!family || !woff2 || !families.has(family)) continue;
    const data = (await readFile(join(katexDir, woff2))).toString('base64');
    faces.push(`@font-face{${m[1]!.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`)}}`);
  }
  return `${faces.join('\n')}\n${css.replace(/@font-face\{[^}]*\}/g, '')}`;
}

/** The document as text in the format; HTML pages get KaTeX's style sheet with their fonts inlined. */
export async function documentText(doc: Doc, format: DocFormat): Promise<string> {
  if (format !== 'html') return renderDocument(doc, format);
  return renderDocument(doc, 'html', { css: await katexCss(renderHtmlBody(doc)) });
}
