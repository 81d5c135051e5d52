/**
 * "Your turn" for one student of a class (a link of `nabla exercise --explorer`): their id and variant, a button
 * per exercise of their sheet, what the page asks of each kind, and the hand-in button that downloads `<id>.json`.
 * In place of the lecturer's panel (exercise seed, widths, what is hidden, the answers, the share buttons).
 */
import { exactForms } from 'nabla/paper';
import type { Exercise } from 'nabla/teach';
import { button } from './field.js';

/** Between the parts of a symbol (∇W₁ f) that must not break across lines. */
const NBSP = '\u00a0';

export interface ClassPanelActions {
  /** Shows exercise `n` (1 …). */
  pick(n: number): void;
  /** Downloads the answer file. */
  handIn(): void;
}

/** The title of an exercise as on the sheet ("the forward pass", "the Kronecker form, eq. (4)"). */
export function exerciseTitle(ex: Exercise): string {
  if (ex.kind === 'form' && ex.form) return `${exactForms[ex.form].title}, eq. ${exactForms[ex.form].equation}`;
  return ex.kind === 'forward' ? 'the forward pass' : 'backpropagation';
}

export class ClassPanel {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly lead: HTMLElement;
  private readonly picker: HTMLElement;
  private readonly note: HTMLElement;
  private readonly handIn: HTMLButtonElement;
  private readonly handInNote: HTMLElement;

  constructor(private readonly actions: ClassPanelActions) {
    this.root = Object.assign(document.createElement('div'), { className: 'panel student-class', id: 'student-class' });
    this.title = Object.assign(document.createElement('h2'), { id: 'student-id' });
    this.lead = Object.assign(document.createElement('p'), { className: 'hint', id: 'student-lead' });
    this.picker = Object.assign(document.createElement('div'), { className: 'student-picker', id: 'ex-picker' });
    this.picker.setAttribute('role', 'group');
    this.picker.setAttribute('aria-label', 'your exercises');
    this.note = Object.assign(document.createElement('p'), { className: 'hint student-kind-note', id: 'ex-note' });
    this.handIn = button('Hand in', () => this.actions.handIn(), 'button');
    this.handIn.id = 'hand-in';
    this.handInNote = Object.assign(document.createElement('span'), { className: 'hint', id: 'hand-in-note' });
    this.handInNote.setAttribute('role', 'status');
    const row = document.createElement('div');
    row.className = 'inline student-hand-in';
    row.append(this.handIn, this.handInNote);
    this.root.append(this.title, this.lead, this.picker, this.note, row);
  }

  /** A link that cannot be read: says why, and offers nothing to type. */
  problem(message: string): void {
    this.title.textContent = 'Your turn: this student link cannot be read';
    this.lead.textContent = `${message}. Ask your lecturer for your link again.`;
    this.picker.replaceChildren();
    this.note.textContent = '';
    this.handIn.hidden = true;
    this.handInNote.textContent = '';
  }

  /** The student's variant, exercise `n` shown, and how much of the answer file is typed. */
  update(
    student: { id: string; variant: number },
    exercises: readonly Exercise[],
    n: number,
    grading: boolean,
    typed: { typed: number; asked: number },
  ): void {
    this.title.textContent = `Your turn: student ${student.id}, variant ${student.variant}`;
    this.lead.textContent =
      `Your ${exercises.length === 1 ? 'exercise is the one' : `${exercises.length} exercises are the ones`} of ` +
      'your sheet. What you type is kept in this page’s address (bookmark it to come back), and Hand in downloads ' +
      `${student.id}.json, the answer file to hand in.` +
      (grading ? ' Each matrix is checked as you type.' : ' This page does not check your answers.');
    this.picker.replaceChildren(
      ...exercises.map((ex) => {
        const b = button(`${ex.id}: ${exerciseTitle(ex)}`, () => this.actions.pick(ex.id), 'button small');
        b.id = `ex-pick-${ex.id}`;
        b.setAttribute('aria-pressed', String(ex.id === n));
        b.classList.toggle('active', ex.id === n);
        return b;
      }),
    );
    const ex = exercises[n - 1]!;
    const k = ex.widths.length - 1;
    this.note.textContent =
      ex.kind === 'form' && ex.form
        ? `Exercise ${ex.id} asks for ∇W${sub(ex.layer ?? 1)}${NBSP}f by ${exerciseTitle(ex)}, writing down each ` +
          'intermediate product: work those on your sheet (they are not typed here) and type the result, ' +
          `∇W${sub(ex.layer ?? 1)}${NBSP}f, below: it is what your answer file holds for this exercise.`
        : ex.kind === 'forward'
          ? `Exercise ${ex.id}: f(X;W) = Σ${sub(k)}, so your Σ${sub(k)} is handed in as f too.`
          : `Exercise ${ex.id}: Δ${sub(k)}${NBSP}…${NBSP}Δ₁ by the recursion, then every ∇Wᵢ${NBSP}f.`;
    this.handIn.hidden = false;
    this.handIn.textContent = `Hand in: download ${student.id}.json`;
    this.handInNote.textContent = `${typed.typed} of ${typed.asked} matrices typed.`;
  }

  /** The count after a keystroke (and a line on the typed entries, when there is one to say). */
  typed(typed: { typed: number; asked: number }, note = ''): void {
    this.handInNote.textContent = `${typed.typed} of ${typed.asked} matrices typed.${note === '' ? '' : ` ${note}`}`;
  }
}

function sub(i: number): string {
  return String(i).replace(/\d/g, (d) => '₀₁₂₃₄₅₆₇₈₉'[Number(d)]!);
}
