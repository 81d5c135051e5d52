/**
 * A formula's accessible name: KaTeX's MathML (output 'htmlAndMathml') read back as one line of plain text,
 * "Δ₂ = (W₃ᵀ ⋅ Δ₃) ∘ Σ′₂ = 2×1 matrix [0.5; −1]", so a screen reader that does not navigate MathML still reads
 * the symbols and the numbers in order, and a test can find them in the accessibility tree.
 */
import { subscript } from '../format.js';

const SUPER: Record<string, string> = { T: 'ᵀ', '′': '′', "'": '′', '2': '²', '−1': '⁻¹', '-1': '⁻¹' };

/** The children of a MathML element that are elements. */
const kids = (e: Element): Element[] => Array.from(e.children);

/** Letters and signs that Unicode has as subscripts (digits: format.ts). */
const SUBS: Record<string, string> = { i: 'ᵢ', j: 'ⱼ', k: 'ₖ', r: 'ᵣ', n: 'ₙ', m: 'ₘ', '+': '₊', '−': '₋', '-': '₋' };

/** A subscript in Unicode subscript characters where it can be (Δ₂, Δᵢ₊₁), else in brackets (∇_(W₁)). */
function sub(text: string): string {
  const t = text.replace(/\s+/g, '');
  if (/^\d+$/.test(t)) return subscript(Number(t));
  if ([...t].every((ch) => /\d/.test(ch) || SUBS[ch]))
    return [...t].map((ch) => SUBS[ch] ?? subscript(Number(ch))).join('');
  return `_(${text})`;
}

function sup(text: string): string {
  return SUPER[text] ?? `^(${text})`;
}

/** Rows of an mtable: a matrix as "2×1 matrix [a, b; c, d]", aligned lines joined by "; ". */
function table(e: Element, fenced: boolean): string {
  const rows = kids(e)
    .filter((r) => r.localName === 'mtr')
    .map((r) => kids(r).map(read));
  if (!fenced) return rows.map((cells) => cells.join(' ')).join('; ');
  const cols = Math.max(0, ...rows.map((r) => r.length));
  return `${rows.length}×${cols} matrix [${rows.map((cells) => cells.join(', ')).join('; ')}]`;
}

/** One MathML element as text. */
function read(e: Element): string {
  const [a, b, c] = kids(e);
  switch (e.localName) {
    case 'mi':
    case 'mn':
    case 'mtext':
      return e.textContent ?? '';
    case 'mo':
      return (e.textContent ?? '').trim();
    case 'mspace':
      return ' ';
    case 'annotation':
    case 'annotation-xml':
      return '';
    case 'msub':
      return a && b ? read(a) + sub(read(b)) : '';
    case 'msup':
      return a && b ? read(a) + sup(read(b)) : '';
    case 'msubsup':
      return a && b && c ? read(a) + sub(read(b)) + sup(read(c)) : '';
    case 'mover':
      return a && b ? `${read(b) === '^' ? 'hat ' : ''}${read(a)}` : '';
    case 'mfrac':
      return a && b ? `${group(read(a))}/${group(read(b))}` : '';
    case 'msqrt':
      return `√${group(kids(e).map(read).join(''))}`;
    case 'mtable':
      return table(e, false);
    case 'mrow': {
      // [ mtable ]: a matrix
      const inner = kids(e);
      const t = inner.find((k) => k.localName === 'mtable');
      if (t && inner[0]?.getAttribute('fence') === 'true') return table(t, true);
      return inner.map(read).join(' ');
    }
    default:
      return kids(e).map(read).join(' ');
  }
}

/** Brackets around anything longer than one token. */
function group(text: string): string {
  return /^[\w.−-]+$/u.test(text) ? text : `(${text})`;
}

/** The plain text of a rendered <math> element, spaces tidied. */
export function mathText(math: Element): string {
  return read(math)
    .replace(/\s+/g, ' ')
    .replace(/\( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/ ,/g, ',')
    .replace(/− (?=[\d.])/g, '−')
    .trim();
}

/** Gives every <math> KaTeX rendered inside `root` its plain text as aria-label. */
export function labelMath(root: Element): void {
  for (const math of Array.from(root.querySelectorAll('.katex-mathml math'))) {
    const text = mathText(math);
    if (text) math.setAttribute('aria-label', text);
  }
}
