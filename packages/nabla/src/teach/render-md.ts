/** Markdown with TeX math: `$…$` inline and `$$ \begin{aligned} … \end{aligned} $$` displayed. */
import type { Block, Doc, Inline } from './doc.js';

function text(s: string): string {
  return s.replace(/([\\`*_[\]<>|])/g, '\\$1');
}

function inline(content: readonly Inline[], inTable = false): string {
  return content
    .map((c) => {
      if (typeof c === 'string') return text(c);
      if ('math' in c) return `$${inTable ? c.math.replace(/\|/g, '\\vert ') : c.math}$`;
      return `\`${c.code.replace(/`/g, "'")}\``;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading':
      return `${'#'.repeat(b.level)} ${inline(b.content)}`;
    case 'paragraph':
      return inline(b.content);
    case 'equation': {
      if (b.rhs.length === 0) return `$$\n${b.lhs}\n$$`;
      const lines = b.rhs.map((r, j) => (j === 0 ? `${b.lhs} &= ${r}` : `&= ${r}`));
      return `$$\n\\begin{aligned}\n${lines.join(' \\\\\n')}\n\\end{aligned}\n$$`;
    }
    case 'list':
      return b.items.map((item) => `- ${inline(item)}`).join('\n');
    case 'table': {
      const row = (cells: readonly Inline[][]) => `| ${cells.map((c) => inline(c, true)).join(' | ')} |`;
      return [row(b.head), `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map(row)].join('\n');
    }
    case 'code':
      return `\`\`\`\n${b.text}\n\`\`\``;
    case 'break':
      return '---';
  }
}

/** The document as Markdown, math in `$…$` and `$$…$$`. */
export function renderMarkdown(doc: Doc): string {
  return `${doc.blocks.map(block).join('\n\n')}\n`;
}
