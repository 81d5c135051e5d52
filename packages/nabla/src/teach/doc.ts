/**
 * A small document model for derivations, exercise sheets and answer keys, rendered three ways (render-*.ts):
 * Markdown with TeX math, LaTeX source for pdflatex, and a self-contained HTML page typeset with KaTeX. Text is
 * plain (ASCII keeps LaTeX happy); all symbols are TeX math.
 */

/** Inline content: text, TeX math, or code (a file name). */
export type Inline = string | { math: string } | { code: string };

/** One block of a document: a heading, a paragraph, a displayed equation, a list, a table, code, a page break. */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { type: 'paragraph'; content: Inline[] }
  /** A displayed chain `lhs = rhs_1 = rhs_2 = …`, one rhs per line, aligned on "=". */
  | { type: 'equation'; lhs: string; rhs: string[] }
  | { type: 'list'; items: Inline[][] }
  | { type: 'table'; head: Inline[][]; rows: Inline[][][] }
  /** Preformatted text (a file's contents). */
  | { type: 'code'; text: string }
  /** Forces a page break in LaTeX (a horizontal rule elsewhere). */
  | { type: 'break' };

/** A document: a title and its blocks, rendered by `renderMarkdown`, `renderLatex` or the CLI's HTML page. */
export interface Doc {
  /** Plain-text title (the HTML <title>, the LaTeX \title). */
  title: string;
  blocks: Block[];
}

/** The formats a document renders to: Markdown with TeX math, LaTeX source, an HTML page with KaTeX. */
export type DocFormat = 'md' | 'tex' | 'html';
export const docFormats: readonly DocFormat[] = ['md', 'tex', 'html'];

export const math = (tex: string): Inline => ({ math: tex });
export const code = (text: string): Inline => ({ code: text });

export function heading(level: 1 | 2 | 3, ...content: Inline[]): Block {
  return { type: 'heading', level, content };
}

export function paragraph(...content: Inline[]): Block {
  return { type: 'paragraph', content };
}

export function equation(lhs: string, ...rhs: string[]): Block {
  return { type: 'equation', lhs, rhs };
}

/** The TeX of an equation block on one logical line (for Markdown tables and tests): "lhs = a = b". */
export function equationTex(b: { lhs: string; rhs: readonly string[] }): string {
  return [b.lhs, ...b.rhs].join(' = ');
}
