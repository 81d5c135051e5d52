/**
 * A small document model for derivations, exercise sheets and answer keys, rendered three ways (render-*.ts):
 * Markdown with TeX math, LaTeX source for pdflatex, and a self-contained HTML page typeset with KaTeX. Text is
 * plain (ASCII keeps LaTeX happy); all symbols are TeX math.
 */

/** Inline content: text, TeX math, or code (a file name). */
export type Inline =
  | string
  | {
      /** TeX math, inline. */
      math: string;
    }
  | {
      /** Code, set in a fixed-width font. */
      code: string;
    };

/** One block of a document: a heading, a paragraph, a displayed equation, a list, a table, code, a page break. */
export type Block =
  | {
      /** A heading. */
      type: 'heading';
      /** Its level, 1 (the title's) to 3. */
      level: 1 | 2 | 3;
      /** Its text. */
      content: Inline[];
    }
  | {
      /** A paragraph. */
      type: 'paragraph';
      /** Its text. */
      content: Inline[];
    }
  /** A displayed chain `lhs = rhs_1 = rhs_2 = …`, one rhs per line, aligned on "=". */
  | {
      /** A displayed equation. */
      type: 'equation';
      /** The left-hand side, in TeX. */
      lhs: string;
      /** The right-hand sides, in TeX, one per line. */
      rhs: string[];
    }
  | {
      /** A bulleted list. */
      type: 'list';
      /** Its items. */
      items: Inline[][];
    }
  | {
      /** A table. */
      type: 'table';
      /** The header row's cells. */
      head: Inline[][];
      /** The body rows, each a list of cells. */
      rows: Inline[][][];
    }
  /** Preformatted text (a file's contents). */
  | {
      /** Preformatted text. */
      type: 'code';
      /** The text, as is. */
      text: string;
    }
  /** Forces a page break in LaTeX (a horizontal rule elsewhere). */
  | {
      /** A page break. */
      type: 'break';
    };

/** A document: a title and its blocks, rendered by `renderMarkdown`, `renderLatex` or the CLI's HTML page. */
export interface Doc {
  /** Plain-text title (the HTML <title>, the LaTeX \title). */
  title: string;
  /** Its content, in order. */
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
