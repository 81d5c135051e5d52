/** One entry point for the three formats. */
import { renderLatex, renderMarkdown, type Doc, type DocFormat } from 'nabla/teach';
import { renderHtml, type HtmlOptions } from './html.js';

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
