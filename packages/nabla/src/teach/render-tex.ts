/**
 * LaTeX source that compiles with pdflatex and nothing beyond Debian's texlive-latex-base (article, amsmath,
 * geometry). Displayed chains are align* environments (they may break across pages).
 */
import type { Block, Doc, Inline } from './doc.js';

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\^{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\~{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
};

/** Text for LaTeX: specials escaped, anything outside printable ASCII replaced by "?" (no inputenc tricks). */
export function texText(s: string): string {
  return [...s].map((ch) => SPECIAL[ch] ?? (/^[\x20-\x7e]$/.test(ch) ? ch : ch === '\n' ? ' ' : '?')).join('');
}

/** Verbatim text: printable ASCII only (anything else becomes "?"), and no line may end the environment. */
function texVerbatim(s: string): string {
  return [...s]
    .map((ch) => (ch === '\n' || /^[\x20-\x7e]$/.test(ch) ? ch : '?'))
    .join('')
    .replace(/\\end\{verbatim\}/g, '\\end {verbatim}');
}

function inline(content: readonly Inline[]): string {
  return content
    .map((c) => {
      if (typeof c === 'string') return texText(c);
      if ('math' in c) return `$${c.math}$`;
      return `\\texttt{${texText(c.code)}}`;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading': {
      const cmd = b.level === 1 ? 'section*' : b.level === 2 ? 'subsection*' : 'subsubsection*';
      return `\\${cmd}{${inline(b.content)}}`;
    }
    case 'paragraph':
      return `${inline(b.content)}\n`;
    case 'equation': {
      if (b.rhs.length === 0) return `\\begin{align*}\n${b.lhs}\n\\end{align*}`;
      const lines = b.rhs.map((r, j) => (j === 0 ? `${b.lhs} &= ${r}` : `&= ${r}`));
      return `\\begin{align*}\n${lines.join(' \\\\\n')}\n\\end{align*}`;
    }
    case 'list':
      return `\\begin{itemize}\n${b.items.map((item) => `\\item ${inline(item)}`).join('\n')}\n\\end{itemize}`;
    case 'table': {
      const cols = b.head.length;
      const row = (cells: readonly Inline[][]) => `${cells.map(inline).join(' & ')} \\\\`;
      return (
        `\\begin{center}\n\\begin{tabular}{${'l'.repeat(cols)}}\n\\hline\n` +
        `${row(b.head)}\n\\hline\n${b.rows.map(row).join('\n')}\n\\hline\n\\end{tabular}\n\\end{center}`
      );
    }
    case 'code':
      return `\\begin{verbatim}\n${texVerbatim(b.text)}\n\\end{verbatim}`;
    case 'break':
      return '\\clearpage';
  }
}

/** The document as a complete LaTeX source for pdflatex. */
export function renderLatex(doc: Doc): string {
  return [
    '\\documentclass[11pt]{article}',
    '\\usepackage{amsmath}',
    '\\usepackage[margin=2cm]{geometry}',
    '\\setcounter{MaxMatrixCols}{40}',
    '\\allowdisplaybreaks',
    '\\renewcommand{\\labelitemi}{$\\bullet$}',
    '\\setlength{\\parindent}{0pt}',
    '\\setlength{\\parskip}{0.6em}',
    `\\title{${texText(doc.title)}}`,
    '\\date{}',
    '\\begin{document}',
    '',
    ...doc.blocks.map(block).flatMap((s) => [s, '']),
    '\\end{document}',
    '',
  ].join('\n');
}
