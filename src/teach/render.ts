/** One entry point for the three formats. */
import type { Doc, DocFormat } from './doc.js';
import { renderHtml, type HtmlOptions } from './render-html.js';
import { renderMarkdown } from './render-md.js';
import { renderLatex } from './render-tex.js';

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
