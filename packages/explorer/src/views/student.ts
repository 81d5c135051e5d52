/**
 * "Your turn" (student mode): an exercise drawn by the library, the network and given matrices shown, the pass's
 * matrices hidden and typed by the student (student-card.ts), graded at once by gradeTyped with the mistake
 * catalogue of `nabla check`. Shared as a link, with or without answers. With a student's link of a class
 * (nabla/teach's readStudentLink): their variant's exercises, what they type kept in the link, the answer file to
 * hand in (student-class.ts), and no way to show the answers. Every number comes from nabla/teach.
 */
import { fromRows, type RMatrix } from 'nabla/paper';
import {
  type Ask,
  activationRegistry,
  askName,
  askShape,
  askSymbol,
  askTex,
  decimalRegistry,
  gradeTyped,
  readStudentLink,
} from 'nabla/teach';
import { encodeState, passes, type State } from '../state.js';
import { decodeTyped, encodeTyped, type TypedEntries } from '../student-typed.js';
import { button, downloadText, type FieldParts, field, input, select, setError, setValue, typed } from './field.js';
import { sectionHead, texElement } from './formula.js';
import { NetworkView } from './network.js';
import { AnswerCard } from './student-card.js';
import { ClassPanel } from './student-class.js';
import { exactMatrixTex, exerciseView, type StudentExercise, studentExercise } from './student-exercise.js';
import { handInText, typedCount } from './student-hand-in.js';

export interface StudentActions {
  update(patch: Partial<State>): void;
}

const exerciseKeys: ReadonlySet<keyof State> = new Set([
  'exSeed',
  'exWidths',
  'exAct',
  'exPass',
  'exHide',
  'studentLink',
  'exNo',
  'grade',
]);

const ACTIVATIONS = 'identity, relu, leaky_relu, square (exact fractions); tanh, sigmoid, softplus, … (decimals)';

export class StudentView {
  private readonly widths: HTMLInputElement;
  private readonly widthsField: FieldParts;
  private readonly act: HTMLInputElement;
  private readonly actField: FieldParts;
  private readonly seed: HTMLInputElement;
  private readonly pass: HTMLSelectElement;
  private readonly hideBox: HTMLElement;
  private readonly reveal: HTMLInputElement;
  private readonly link: HTMLInputElement;
  private readonly linkNote: HTMLElement;
  private readonly info: HTMLElement;
  private readonly given: HTMLElement;
  private readonly diagram: NetworkView;
  private readonly cardsBox: HTMLElement;
  private readonly score: HTMLElement;
  private readonly work: HTMLElement;
  private readonly setup: HTMLElement;
  private readonly classPanel: ClassPanel;
  /** The student's link read (cached by its entries), undefined without one. */
  private classLink: NonNullable<ReturnType<typeof readStudentLink>> | undefined;
  /** With a student's link: every exercise's typed entries, as in the link's `typed`. */
  private typedEntries: TypedEntries = new Map();
  private typedUnreadable = false;
  private cards: AnswerCard[] = [];
  private exercise: StudentExercise | undefined;
  private state: Readonly<State> | undefined;
  /** The exercise's fields changed since it was drawn (drawn when the tab is shown). */
  private dirty = true;

  constructor(
    main: HTMLElement,
    tabs: HTMLElement,
    private readonly actions: StudentActions,
  ) {
    const tab = Object.assign(document.createElement('button'), { textContent: 'Your turn' });
    tab.dataset.tab = 'student';
    tabs.append(tab);
    const root = Object.assign(document.createElement('section'), {
      id: 'tab-student',
      className: 'tab student',
      hidden: true,
    });
    main.append(root);

    // the lecturer's panel: which exercise, what is hidden, the links
    const setup = document.createElement('div');
    setup.className = 'panel student-setup';
    setup.id = 'student-setup';
    this.setup = setup;
    this.classPanel = new ClassPanel({
      pick: (n) => actions.update({ exNo: n }),
      handIn: () => this.handIn(),
    });
    const head = sectionHead(
      'Your turn: compute the hidden matrices',
      "\\Delta_i = (W_{i+1}^T\\cdot\\Delta_{i+1})\\circ\\Sigma'_i,\\quad \\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T",
    );
    setup.append(head);

    const row = document.createElement('div');
    row.className = 'student-fields';
    this.pass = select(
      passes.map(
        (p) => [p, p === 'backward' ? 'backward: Δᵢ and ∇Wᵢ f' : "forward: Nᵢ, Σᵢ and Σ'ᵢ"] as [string, string],
      ),
      'backward',
    );
    this.pass.id = 'ex-pass';
    this.pass.addEventListener('change', () =>
      actions.update({ exPass: this.pass.value as State['exPass'], exHide: 'all' }),
    );
    this.widths = input({ id: 'ex-widths', placeholder: '2, 2, 1' });
    this.widths.addEventListener('input', () =>
      actions.update({ exWidths: typed(this.widths, this.widths.value), exHide: 'all' }),
    );
    this.widthsField = field('exWidths', 'widths', this.widths, 'at most 4 layers of 5; the last width 1');
    this.act = input({ id: 'ex-act', placeholder: 'relu' });
    this.act.addEventListener('input', () => actions.update({ exAct: typed(this.act, this.act.value) }));
    this.actField = field('exAct', 'σ (one, or one per layer with ;)', this.act, ACTIVATIONS);
    this.seed = input({ type: 'number', id: 'ex-seed', min: '0', step: '1' });
    this.seed.setAttribute('aria-label', 'exercise seed');
    this.seed.addEventListener('input', () => {
      const v = Number(this.seed.value);
      if (Number.isInteger(v) && v >= 0) actions.update({ exSeed: v });
    });
    const seedRow = document.createElement('div');
    seedRow.className = 'inline';
    const next = button(
      'new exercise',
      () => actions.update({ exSeed: (this.state?.exSeed ?? 0) + 1 }),
      'button small',
    );
    next.id = 'ex-new';
    seedRow.append(this.seed, next);
    row.append(
      field('exPass', 'pass', this.pass).row,
      this.widthsField.row,
      this.actField.row,
      field('exSeed', 'exercise seed', seedRow).row,
    );
    setup.append(row);

    this.hideBox = document.createElement('div');
    this.hideBox.className = 'student-hide';
    this.hideBox.id = 'ex-hide';
    setup.append(this.hideBox);

    const share = document.createElement('div');
    share.className = 'student-share';
    this.reveal = input({ type: 'checkbox', id: 'ex-reveal' });
    this.reveal.addEventListener('change', () => actions.update({ exReveal: this.reveal.checked }));
    const revealRow = document.createElement('label');
    revealRow.className = 'switch';
    revealRow.append(this.reveal, document.createTextNode('show the answers'));
    const shareHidden = button('Share exercise', () => this.share(false), 'button');
    shareHidden.id = 'share-exercise';
    const shareAnswers = button('Share with answers', () => this.share(true), 'button');
    shareAnswers.id = 'share-answers';
    this.link = input({ id: 'share-link' });
    this.link.readOnly = true;
    this.link.hidden = true;
    this.link.setAttribute('aria-label', 'the exercise link');
    this.link.addEventListener('focus', () => this.link.select());
    this.linkNote = Object.assign(document.createElement('span'), { className: 'student-link-note', id: 'share-note' });
    this.linkNote.setAttribute('role', 'status');
    const buttons = document.createElement('div');
    buttons.className = 'inline';
    buttons.append(revealRow, shareHidden, shareAnswers);
    share.append(buttons, this.link, this.linkNote);
    setup.append(share);

    // the exercise: what is given, the network, and the hidden matrices
    this.work = document.createElement('div');
    this.work.className = 'panel student-work';
    this.info = Object.assign(document.createElement('p'), { className: 'hint student-info', id: 'student-info' });
    this.given = Object.assign(document.createElement('div'), { className: 'student-given', id: 'student-given' });
    const diagramBox = Object.assign(document.createElement('div'), { className: 'student-diagram' });
    this.diagram = new NetworkView(diagramBox);
    this.score = Object.assign(document.createElement('div'), { className: 'student-score', id: 'student-score' });
    this.score.setAttribute('aria-live', 'polite');
    this.cardsBox = Object.assign(document.createElement('div'), { className: 'student-cards', id: 'student-cards' });
    const givenHead = Object.assign(document.createElement('h3'), { textContent: 'Given' });
    const yourHead = Object.assign(document.createElement('h3'), { textContent: 'Your answers' });
    this.work.append(this.info, givenHead, diagramBox, this.given, yourHead, this.score, this.cardsBox);
    root.append(this.classPanel.root, setup, this.work);
  }

  update(s: Readonly<State>, changed: ReadonlySet<keyof State> | 'all'): void {
    this.state = s;
    setValue(this.widths, s.exWidths);
    setValue(this.act, s.exAct);
    setValue(this.seed, String(s.exSeed));
    this.pass.value = s.exPass;
    this.reveal.checked = s.exReveal;
    if (changed === 'all' || [...changed].some((c) => exerciseKeys.has(c))) this.dirty = true;
    if (this.classLink?.fragment !== s.studentLink)
      this.classLink = s.studentLink === '' ? undefined : readStudentLink(s.studentLink);
    // typed entries that are not this page's own (a new link in the address bar): the cards take them
    if (s.typed !== encodeTyped(this.typedEntries)) {
      const t = decodeTyped(s.typed);
      this.typedEntries = t ?? new Map();
      this.typedUnreadable = t === undefined;
      this.dirty = true;
    }
    this.setup.hidden = this.classLink !== undefined;
    this.classPanel.root.hidden = this.classLink === undefined;
    if (s.tab !== 'student') return;
    if (this.dirty) {
      this.dirty = false;
      if (this.classLink) this.buildClass(s, this.classLink);
      else this.build(s);
    }
    // a student's link never shows the answers, whatever else it says
    for (const c of this.cards) c.setReveal(this.classLink === undefined && s.exReveal);
  }

  /** A student's variant: exercise exNo of their sheet, every matrix it asks hidden, their typed entries filled in. */
  private buildClass(s: Readonly<State>, link: NonNullable<StudentView['classLink']>): void {
    const v = link.variant;
    this.work.classList.toggle('stale', !v);
    if (!v) {
      this.classPanel.problem(`This student link cannot be read: ${link.problem}`);
      this.exercise = undefined;
      this.cards = [];
      this.cardsBox.replaceChildren();
      this.given.replaceChildren();
      return;
    }
    const exercises = v.set.exercises;
    const n = Math.min(s.exNo, exercises.length);
    const e = exerciseView(exercises[n - 1]!, v.set.polynomials);
    this.exercise = e;
    this.renderGiven(e);
    this.cards = e.hidden.map((a) => new AnswerCard(a, e, () => this.typedChanged()));
    for (const c of this.cards) {
      const cells = this.typedEntries.get(`${n}.${askName(c.ask)}`);
      if (cells) c.fill(cells);
    }
    this.cardsBox.replaceChildren(...this.cards.map((c) => c.root));
    this.classPanel.update(v, exercises, n, s.grade === 'on', typedCount(exercises, this.typedEntries));
    if (this.typedUnreadable)
      this.classPanel.typed(typedCount(exercises, this.typedEntries), 'The typed entries in this link cannot be read.');
    this.grade();
  }

  /** A keystroke with a student's link: the exercise's typed grids into the link, the count, the grades. */
  private typedChanged(): void {
    const e = this.exercise;
    const v = this.classLink?.variant;
    if (!e || !v) return;
    for (const c of this.cards) {
      const name = `${e.ex.id}.${askName(c.ask)}`;
      const cells = c.cells();
      const [rows, cols] = askShape(c.ask, e.ex.widths);
      const blank = cells.every((row) => row.every((t) => t.trim() === ''));
      if (blank && cells.length === rows && cells[0]!.length === cols) this.typedEntries.delete(name);
      else this.typedEntries.set(name, cells);
    }
    this.typedUnreadable = false;
    this.actions.update({ typed: encodeTyped(this.typedEntries) });
    this.classPanel.typed(typedCount(v.set.exercises, this.typedEntries));
    this.grade();
  }

  /** Downloads the student's answer file, <id>.json, as `nabla check --class` reads it. */
  private handIn(): void {
    const v = this.classLink?.variant;
    if (v) downloadText(handInText(v, v.set.exercises, this.typedEntries), `${v.id}.json`);
  }

  /** Draws the exercise and its cards anew (typed entries are kept for the same exercise). */
  private build(s: Readonly<State>): void {
    const r = studentExercise(s);
    setError(this.widthsField, r.ok || r.field !== 'exWidths' ? undefined : r.message);
    setError(this.actField, r.ok || r.field !== 'exAct' ? undefined : r.message);
    this.work.classList.toggle('stale', !r.ok);
    if (!r.ok) return;
    const before = new Map(this.sameExercise(r.value) ? this.cards.map((c) => [askName(c.ask), c.cells()]) : []);
    const e = r.value;
    this.exercise = e;
    this.renderHide(e);
    this.renderGiven(e);
    this.cards = e.hidden.map((a) => new AnswerCard(a, e, () => this.grade()));
    for (const c of this.cards) {
      const cells = before.get(askName(c.ask));
      if (cells) c.fill(cells);
    }
    this.cardsBox.replaceChildren(...this.cards.map((c) => c.root));
    if (this.cards.length === 0)
      this.cardsBox.replaceChildren(hint('Nothing is hidden: tick a matrix above for the student to compute.'));
    this.grade();
  }

  private sameExercise(e: StudentExercise): boolean {
    const old = this.exercise;
    return (
      old !== undefined &&
      JSON.stringify([old.ex.widths, old.ex.activations, old.ex.W.map((w) => w.toStrings()), old.ex.X.toStrings()]) ===
        JSON.stringify([e.ex.widths, e.ex.activations, e.ex.W.map((w) => w.toStrings()), e.ex.X.toStrings()])
    );
  }

  /** Grades every card (the others' typed values let a card say "right for your own earlier answer"). */
  private grade(): void {
    const e = this.exercise;
    if (!e) return;
    if (this.state?.grade === 'off') {
      const n = this.cards.filter((c) => c.cells().some((row) => row.some((t) => t.trim() !== ''))).length;
      this.score.dataset.right = '';
      this.score.textContent = `${n} of ${this.cards.length} typed. This page does not check them (grade=off).`;
      return;
    }
    const given = new Map<string, RMatrix>();
    for (const c of this.cards) {
      const v = c.value();
      if (v) given.set(askName(c.ask), v);
    }
    let right = 0;
    for (const c of this.cards) {
      const g = gradeTyped(e.ex, e.sol, c.ask, c.cells(), {
        ...(e.tolerance === undefined ? {} : { tolerance: e.tolerance }),
        given,
      });
      c.show(g);
      if (g.status === 'right') right++;
    }
    const n = this.cards.length;
    this.score.dataset.right = String(right);
    const typedAny = this.cards.some((c) => c.cells().some((row) => row.some((t) => t.trim() !== '')));
    this.score.textContent =
      n === 0
        ? ''
        : right === n
          ? `All ${n} ${n === 1 ? 'matrix' : 'matrices'} right. Well done!`
          : typedAny
            ? `${right} of ${n} ${n === 1 ? 'matrix' : 'matrices'} right.`
            : `Type the ${n === 1 ? 'hidden matrix' : `${n} hidden matrices`} below, from the first card on.`;
  }

  /** The lecturer's checkboxes: which matrices of the pass the student computes. */
  private renderHide(e: StudentExercise): void {
    const hidden = new Set(e.hidden.map(askName));
    const boxes = e.asks.map((a) => {
      const name = askName(a);
      const box = input({ type: 'checkbox', id: `hide-${name}`, checked: hidden.has(name) });
      box.dataset.ask = name;
      box.setAttribute('aria-label', `hidden for the student: ${askSymbol(a)}`);
      box.addEventListener('change', () => {
        const next = e.asks.filter((b) => (askName(b) === name ? box.checked : hidden.has(askName(b)))).map(askName);
        this.actions.update({ exHide: next.length === e.asks.length ? 'all' : next.join(',') });
      });
      const label = document.createElement('label');
      label.className = 'student-hide-item';
      label.append(box, texElement(askTex(a), false, 'tex'));
      label.title = `the student computes ${askSymbol(a)}`;
      return label;
    });
    const title = Object.assign(document.createElement('span'), {
      className: 'field-label',
      textContent: 'hidden for the student:',
    });
    this.hideBox.replaceChildren(title, ...boxes);
  }

  /** X, the weights, the activations, and (for the backward pass) the forward values; answers not hidden too. */
  private renderGiven(e: StudentExercise): void {
    const { ex, sol, exact } = e;
    const k = ex.widths.length - 1;
    const registry = decimalRegistry(e.polynomials);
    const exactOnes = activationRegistry(e.polynomials);
    const names = [...new Set(ex.activations.flat())];
    const inexact = names.filter((n) => !Object.hasOwn(exactOnes, n));
    this.info.textContent = exact
      ? 'Every number here is an exact fraction: type fractions like -3/4 (a decimal counts only when exact, like 0.25).'
      : `${inexact.join(' and ')} ${inexact.length === 1 ? 'has' : 'have'} no exact values: type ` +
        'decimals to three places or more (within 0.001, or 0.1 % of values above 1, is right).';
    const blocks: string[] = [`X = \\Sigma_0 = ${exactMatrixTex(ex.X, 'S0', exact)}`];
    for (let i = 1; i <= k; i++) blocks.push(`W_{${i}} = ${exactMatrixTex(ex.W[i - 1]!, `W${i}`, exact)}`);
    for (let i = 1; i <= k; i++) {
      const a = registry[ex.activations[i - 1]![0]!]!;
      // σ and σ' each unbroken (KaTeX breaks inline math after = and >, "1 for x >⏎0"); a line break only between
      blocks.push(`{\\sigma_{${i}}\\colon\\ ${a.tex},}\\allowbreak\\ {${a.dtex}}`);
    }
    const hidden = new Set(e.hidden.map(askName));
    // a matrix of the pass is given unless it is hidden
    const show = (a: Ask, m: RMatrix) => {
      if (!hidden.has(askName(a)))
        blocks.push(`${askTex(a)} = ${exactMatrixTex(m, askName(a).replace('_', ''), exact)}`);
    };
    for (let i = 1; i <= k; i++) {
      show({ key: 'N', index: i }, sol.trace.N.get(i));
      show({ key: 'S', index: i }, sol.trace.S.get(i));
      show({ key: 'dS', index: i }, sol.trace.dS.get(i));
    }
    if (ex.kind === 'backward') {
      blocks.push(`\\Delta_{${k + 1}} = W_{${k + 1}}^T = ${exactMatrixTex(sol.seed, `D${k + 1}`, exact)}`);
      for (let i = k; i >= 1; i--) show({ key: 'D', index: i }, sol.D.get(i));
      for (let i = k; i >= 1; i--) show({ key: 'gradW', index: i }, sol.gradW.get(i));
    }
    this.given.replaceChildren(...blocks.map((t) => texElement(t, false, 'tex student-given-item')));
    this.diagram.update({
      n: ex.widths,
      W: ex.W.map((w, j) => fromRows(w.toNumbers(), `W_${j + 1}`)),
      acts: ex.activations,
      affine: false,
      caption: 'The exercise network: blue edges positive weights, orange negative.',
    });
  }

  /** A link to this exercise (answers revealed or not): shown for copying, and copied when the browser allows. */
  private share(answers: boolean): void {
    const s = this.state;
    if (!s) return;
    const url = `${location.origin}${location.pathname}${location.search}#${encodeState({ ...s, tab: 'student', exReveal: answers })}`;
    this.link.value = url;
    this.link.hidden = false;
    this.link.dataset.answers = answers ? '1' : '0';
    const what = answers ? 'with the answers' : 'without the answers';
    const done = (copied: boolean) =>
      (this.linkNote.textContent = copied
        ? `Link ${what} copied.`
        : `The link ${what} is in the box: select it and copy.`);
    const clip = navigator.clipboard;
    if (!clip || !window.isSecureContext) {
      done(false);
      this.link.focus();
      return;
    }
    clip.writeText(url).then(
      () => done(true),
      () => done(false),
    );
  }
}

function hint(text: string): HTMLElement {
  return Object.assign(document.createElement('p'), { className: 'hint', textContent: text });
}
