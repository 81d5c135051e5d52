/**
 * One hidden matrix of a "your turn" exercise: its formula, a grid the student types into (rows and columns can be
 * added), and gradeTyped's verdict on every keystroke — each entry green or red, and for a wrong matrix the
 * classic mistake it matches, with the wrong factor marked. With the answers revealed, the answer below.
 */
import { RMatrix } from 'nabla/paper';
import {
  type Ask,
  answerOf,
  askName,
  askShape,
  askTex,
  type MistakeMatch,
  parseGivenEntry,
  type TypedGrade,
} from 'nabla/teach';
import { button } from './field.js';
import { texElement } from './formula.js';
import { answerFormula, exactMatrixTex, type StudentExercise, symKey } from './student-exercise.js';

const SUB = '₀₁₂₃₄₅₆₇₈₉';

/** A symbol of the library's messages with subscript digits: "∇_{W_2} f" → "∇W₂ f", "Σ'_1" → "Σ'₁". */
function pretty(symbol: string): string {
  return symbol
    .replace(/_\{(\w)_(\d+)\}/g, (_m, l: string, d: string) => l + sub(d))
    .replace(/_(\d+)/g, (_m, d: string) => sub(d));
}

function sub(digits: string): string {
  return digits.replace(/\d/g, (d) => SUB[Number(d)]!);
}

/** The factor names of a mistake as they read in the formula: "dS_1" → "Σ'_1", "sigma_2" → "σ_2". */
function factorText(name: string): string {
  const [key, i] = name.split('_') as [string, string];
  const names: Record<string, string> = { W: 'W', N: 'N', S: 'Σ', dS: "Σ'", D: 'Δ', sigma: 'σ' };
  if (key === 'S' && i === '0') return 'X = Σ₀';
  return `${names[key] ?? key}${sub(i)}`;
}

export class AnswerCard {
  readonly root: HTMLElement;
  readonly ask: Ask;
  private texts: string[][];
  private readonly formula: HTMLElement;
  private readonly grid: HTMLTableElement;
  private readonly status: HTMLElement;
  private readonly diagnosis: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly shapeNote: HTMLElement;

  constructor(
    ask: Ask,
    private readonly exercise: StudentExercise,
    private readonly onInput: () => void,
  ) {
    this.ask = ask;
    const name = askName(ask);
    const k = exercise.ex.widths.length - 1;
    const [rows, cols] = askShape(ask, exercise.ex.widths);
    this.texts = Array.from({ length: rows }, () => new Array<string>(cols).fill(''));

    this.root = document.createElement('div');
    this.root.className = 'student-card';
    this.root.id = `answer-${name}`;
    this.root.dataset.ask = name;
    this.formula = texElement(answerFormula(ask, k), false, 'tex student-formula');
    const head = document.createElement('div');
    head.className = 'student-card-head';
    head.append(this.formula);

    const box = document.createElement('div');
    box.className = 'student-grid-box';
    const lhs = texElement(`${askTex(ask)} =`, false, 'tex student-lhs');
    this.grid = document.createElement('table');
    this.grid.className = 'student-grid';
    box.append(lhs, this.grid);

    const shape = document.createElement('div');
    shape.className = 'student-shape';
    this.shapeNote = Object.assign(document.createElement('span'), { className: 'student-shape-note' });
    const resize = (dr: number, dc: number) => () => this.resize(dr, dc);
    shape.append(
      this.shapeNote,
      button('+ row', resize(1, 0), 'button tiny'),
      button('− row', resize(-1, 0), 'button tiny'),
      button('+ column', resize(0, 1), 'button tiny'),
      button('− column', resize(0, -1), 'button tiny'),
    );
    for (const [b, action] of Array.from(shape.querySelectorAll('button')).map(
      (b, j) => [b, ['add-row', 'remove-row', 'add-col', 'remove-col'][j]!] as const,
    ))
      b.dataset.action = action;

    this.status = Object.assign(document.createElement('div'), { className: 'student-status' });
    this.status.setAttribute('aria-live', 'polite');
    this.diagnosis = Object.assign(document.createElement('div'), { className: 'student-diagnosis' });
    this.answer = Object.assign(document.createElement('div'), { className: 'student-answer' });
    this.root.append(head, box, shape, this.status, this.diagnosis, this.answer);
    this.buildGrid();
  }

  /** The typed grid, as text. */
  cells(): string[][] {
    return this.texts.map((r) => [...r]);
  }

  /** The typed matrix as exact values, when every entry is a number (for "an earlier mistake carried forward"). */
  value(): RMatrix | undefined {
    const entries = this.texts.flat().map(parseGivenEntry);
    if (entries.some((e) => e.value === undefined)) return undefined;
    return new RMatrix(
      this.texts.length,
      this.texts[0]!.length,
      entries.map((e) => e.value!),
    );
  }

  /** Types `cells` into the grid (the same exercise drawn again: the student's work is kept). */
  fill(cells: readonly (readonly string[])[]): void {
    this.texts = cells.map((r) => [...r]);
    this.buildGrid();
  }

  /** Shows the answer below the grid, or removes it from the page. */
  setReveal(reveal: boolean): void {
    if (!reveal) {
      this.answer.replaceChildren();
      return;
    }
    if (this.answer.childElementCount > 0) return;
    const name = askName(this.ask);
    this.answer.append(
      Object.assign(document.createElement('span'), { className: 'student-answer-title', textContent: 'answer: ' }),
      texElement(
        `${askTex(this.ask)} = ${exactMatrixTex(answerOf(this.exercise.sol, this.ask), symKey(name), this.exercise.exact)}`,
        false,
        'tex',
      ),
    );
  }

  /** Shows a grade of gradeTyped: entry colours, the matrix status, the mistakes and their factors. */
  show(g: TypedGrade): void {
    this.root.dataset.status = g.status;
    g.entries.forEach((row, r) =>
      row.forEach((e, c) => {
        const input = this.grid.rows[r]?.cells[c]?.querySelector('input');
        if (!input) return;
        input.dataset.status = e.status;
        input.title =
          e.status === 'malformed'
            ? `"${e.text}" is not a number: write an integer, a decimal like 0.75 or a fraction like -3/4`
            : e.close
              ? 'close, but not exact: write it as a fraction'
              : '';
      }),
    );
    const [rows, cols] = g.shape;
    const symbol = pretty(g.symbol);
    const typedShape = `${this.texts.length}×${this.texts[0]!.length}`;
    this.shapeNote.textContent = g.shapeRight ? `${rows}×${cols}` : `${typedShape} (${symbol} is ${rows}×${cols})`;
    const entries = g.entries.flat();
    const malformed = entries.filter((e) => e.status === 'malformed').length;
    const close = entries.some((e) => e.close);
    const mistakes = g.status === 'wrong' ? g.mistakes : [];
    this.diagnosis.dataset.mistakes = mistakes.map((m) => m.id).join(' ');
    this.markFactors(mistakes);
    switch (g.status) {
      case 'right':
        this.status.textContent = `✓ ${symbol} is right.`;
        this.diagnosis.replaceChildren();
        return;
      case 'incomplete':
        this.status.textContent =
          malformed > 0
            ? `${malformed === 1 ? 'An entry is' : `${malformed} entries are`} not a number: write an integer, a decimal like 0.75 or a fraction like -3/4.`
            : g.right > 0
              ? `${g.right} of ${entries.length} entries right so far.`
              : `Type ${symbol} (${entries.length === 1 ? 'one entry' : `${entries.length} entries`}).`;
        this.diagnosis.replaceChildren();
        return;
      case 'wrong': {
        const wrong = entries.filter((e) => e.status === 'wrong').length;
        this.status.textContent = g.shapeRight
          ? `✗ ${wrong} of ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} ` +
            `${wrong === 1 ? 'is' : 'are'} wrong.${close ? ' Some are close: write fractions, not rounded decimals.' : ''}`
          : `✗ ${symbol} is ${rows}×${cols}; your matrix is ${typedShape}.`;
        if (mistakes.length === 0) {
          this.diagnosis.replaceChildren(
            hint('This is none of the classic mistakes: recompute the red entries from the formula.'),
          );
          return;
        }
        const list = document.createElement('ul');
        list.className = 'student-mistakes';
        for (const m of mistakes) {
          const li = document.createElement('li');
          li.dataset.mistake = m.id;
          const title = Object.assign(document.createElement('strong'), {
            textContent: m.title[0]!.toUpperCase() + m.title.slice(1),
          });
          const where =
            m.factors.length > 0 ? ` Look at ${m.factors.map(factorText).join(' and ')} (marked in the formula).` : '';
          li.append(title, document.createTextNode(`: ${mistakeSentence(pretty(m.detail))}.${where}`));
          list.append(li);
        }
        this.diagnosis.replaceChildren(
          Object.assign(document.createElement('div'), {
            className: 'student-diagnosis-title',
            textContent: 'This matches a classic mistake:',
          }),
          list,
        );
      }
    }
  }

  private markFactors(mistakes: readonly MistakeMatch[]): void {
    const keys = new Set(mistakes.flatMap((m) => m.factors.map(symKey)));
    for (const el of Array.from(this.formula.querySelectorAll<HTMLElement>('[data-sym], [data-factor]'))) {
      el.classList.toggle('factor-wrong', keys.has(el.dataset.factor ?? el.dataset.sym ?? ''));
    }
  }

  private resize(dr: number, dc: number): void {
    const rows = Math.max(1, Math.min(8, this.texts.length + dr));
    const cols = Math.max(1, Math.min(8, this.texts[0]!.length + dc));
    this.texts = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => this.texts[r]?.[c] ?? ''),
    );
    this.buildGrid();
    this.onInput();
  }

  private buildGrid(): void {
    const name = askName(this.ask);
    this.grid.replaceChildren();
    this.texts.forEach((row, r) => {
      const tr = this.grid.insertRow();
      row.forEach((text, c) => {
        const input = document.createElement('input');
        input.type = 'text';
        input.value = text;
        input.autocomplete = 'off';
        input.spellcheck = false;
        input.className = 'student-entry';
        input.dataset.r = String(r);
        input.dataset.c = String(c);
        input.setAttribute('aria-label', `${name} row ${r + 1} column ${c + 1}`);
        input.enterKeyHint = 'next';
        input.addEventListener('input', () => {
          this.texts[r]![c] = input.value;
          this.onInput();
        });
        // Enter goes on to the next entry (of this matrix, then of the next one)
        input.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter') return;
          const all = Array.from(document.querySelectorAll<HTMLInputElement>('.student-cards input.student-entry'));
          all[all.indexOf(input) + 1]?.focus();
        });
        tr.insertCell().append(input);
      });
    });
  }
}

function hint(text: string): HTMLElement {
  return Object.assign(document.createElement('p'), { className: 'hint', textContent: text });
}

/**
 * A classic mistake's detail as the end of a sentence to the student: "W₂ used instead of W₂ᵀ: Δ₁ = …" becomes
 * "you used W₂ instead of W₂ᵀ, that is Δ₁ = …"; "… is right for the Δ₂ you gave" stays; others are what was computed.
 */
export function mistakeSentence(detail: string): string {
  const used = /^(.+?) used instead of (.+?)(?:: (.+))?$/.exec(detail);
  if (used) return `you used ${used[1]} instead of ${used[2]}${used[3] ? `, that is ${used[3]}` : ''}`;
  const taken = /^(.+?) taken at (.+?)(?:: (.+))?$/.exec(detail);
  if (taken) return `you took ${taken[1]} at ${taken[2]}${taken[3] ? `, that is ${taken[3]}` : ''}`;
  if (/ you gave$/.test(detail)) return detail;
  return `you computed ${detail}`;
}
