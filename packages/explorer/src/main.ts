/**
 * The explorer's entry: reads the state from the URL hash, builds the model with the library (model.ts) and
 * hands it to the views. It only wires components; no mathematics here.
 */
import { fitActivationSpec, type Matrix } from 'nabla/paper';
import 'katex/dist/katex.min.css';
import './style.css';
import { type Activation, safeImportOnnx, safeParseModel, serializeModel } from 'nabla';
import { FrameScheduler } from './frames.js';
import { installHighlight } from './highlight.js';
import {
  adaptSamples,
  type Built,
  buildModel,
  formatActs,
  formatEdits,
  MAX_WIDTH,
  parseEdits,
  parseWidths,
  type WorkedNetwork,
} from './model.js';
import { clickWord, hoverWord } from './pointer.js';
import { type Repair, repairLink } from './repair.js';
import { TrainingRun } from './run/client.js';
import { updateScrollCues } from './scroll-cue.js';
import { type HashProblem, type State, Store, tabs, uiParts } from './state.js';
import { BackwardView } from './views/backward.js';
import { activationChoices, Builder } from './views/builder.js';
import { button, downloadText, select } from './views/field.js';
import { FormsView } from './views/forms.js';
import { ForwardView } from './views/forward.js';
import { NetworkView } from './views/network.js';
import { Popover, WeightCard } from './views/popover.js';
import { StudentView } from './views/student.js';
import { inspectPatch, TrainingView } from './views/training.js';

const $ = (id: string) => document.getElementById(id)!;

const store = new Store(location.hash);
// a link whose network does not build (X not fitting the widths, …) is repaired before anything is drawn
const repair = repairLink(store.state);
store.update(repair.patch);
let built: Built = buildModel(store.state);
/** The last model that built without errors: shown while a field holds a mistake. */
let shown: WorkedNetwork | undefined = built.model;

/**
 * Every change goes through here: when the input width changes (widths, the affine switch, a model file, a
 * "use widths" button), samples that fitted the old width are cut or padded with zeros to fit the new one.
 */
function update(patch: Partial<State>): void {
  const s = store.state;
  if (patch.widths !== undefined || patch.affine !== undefined) {
    const before = parseWidths(s.widths, s.affine);
    const after = parseWidths(patch.widths ?? s.widths, patch.affine ?? s.affine);
    if (before.ok && after.ok && patch.x === undefined)
      patch = { ...patch, x: adaptSamples(s.x, before.value[0]!, after.value[0]!) };
  }
  store.update(patch);
}

// the first line of each view: what to do here and where to start
const intro = Object.assign(document.createElement('p'), { className: 'view-intro', id: 'view-intro' });
document.querySelector('main')!.prepend(intro);
const intros: Record<State['tab'], () => string> = {
  forward: () =>
    'Every matrix of this network with its numbers: the forward pass first, then the backward pass one step at a ' +
    'time. Start with Next ▶ (or the → key): each step computes one Δᵢ and ∇Wᵢ f.',
  forms: () =>
    `One gradient written in each form of the paper. Start with the table (every form agrees with the ` +
    `recursion), then read a card line by line; ${hoverWord()} a number to find it in the others.`,
  train: () =>
    'Train a network on 2-D data, as in TensorFlow Playground. Start with ▶ Train; then change the data, the ' +
    'features or the network and train again.',
  student: () =>
    store.state.studentLink !== ''
      ? 'Your turn: the exercises of your sheet. Compute each matrix by hand and type it in; then hand in the ' +
        'answer file. Start with exercise 1.'
      : 'Your turn: compute the hidden matrices by hand and type them in; each one is checked as you type. Start ' +
        'with the first card under "Your answers".',
};

const popover = new Popover($('popover'));
const builder = new Builder($('builder'), {
  update,
  openModel: (f) => void openModel(f),
  downloadModel,
});
const diagram = new NetworkView($('diagram-panel'));
const forwardView = new ForwardView($('tab-forward'), {
  editWeight(i, r, c, value) {
    const edits = parseEdits(store.state.w);
    edits.set(`${i}.${r}.${c}`, value);
    store.update({ w: formatEdits(edits) });
  },
});
const backwardView = new BackwardView($('tab-forward'), {
  setStep: (step) => store.update({ step: Math.max(0, step) }),
});
const formsView = new FormsView($('tab-forms'), {
  setColumn: (col) => store.update({ col }),
  setLayer: (li) => store.update({ li }),
});
// the Training view: the run (a Web Worker on the library's Model), its view, one drawing per animation frame
const run = new TrainingRun({
  changed: () => frames.request(),
  configured: () => training.started(),
  progress: (p) => training.progress(p),
  error: (field, message) => training.showError(field, message),
  model: (text) => downloadText(text, `${store.state.data ?? 'trained'}-model.json`),
});
const training = new TrainingView(
  $('tab-train'),
  {
    update,
    // the Forward & backward view gets the trained network; the training itself goes on where it was
    inspect: () => {
      const patch = inspectPatch(run.ready, run.last);
      if (patch) update({ ...patch, tab: 'forward' });
    },
    play: () => run.playOrPause(),
    step: () => run.step(),
    reset: () => run.reset(),
    download: () => run.exportModel(),
    setWeight: (i, r, c, value) => run.setWeight(i, r, c, value),
    csv: (name, text) => {
      if (!run.useCsv(name, text)) update({ data: 'csv' });
    },
    resized: () => frames.invalidate(),
  },
  popover,
  () => ({ ready: run.ready, last: run.last, running: run.running, state: store.state }),
);
const frames = new FrameScheduler(
  () => store.state.tab === 'train',
  (full) => training.draw(full),
);

const student = new StudentView(document.querySelector('main')!, $('tabs'), { update });

for (const b of Array.from($('tabs').querySelectorAll<HTMLButtonElement>('button'))) {
  b.addEventListener('click', () => store.update({ tab: b.dataset.tab as State['tab'] }));
}
$('copy-link').addEventListener('click', () => copyLink(popover, $('copy-link')));
// the first tab stop: past the header and the builder, to the view itself (the hash holds the state: no #anchor)
$('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  $('view').focus();
});
$('projector').addEventListener('click', () => store.update({ big: !store.state.big }));
$('theme').addEventListener('click', () =>
  store.update({ theme: nextTheme(store.state.theme, matchMedia('(prefers-color-scheme: dark)').matches) }),
);
installHighlight(document.body);
new WeightCard(document.body);

// what sticks under the header (the diagram in Forward & backward) starts where the header ends
const headerHeight = () =>
  document.documentElement.style.setProperty(
    '--header-h',
    `${document.querySelector('header.top')!.getBoundingClientRect().height}px`,
  );
new ResizeObserver(headerHeight).observe(document.querySelector('header.top')!);

// keys for a lecture, unless the user is typing: ← → (and Home / End) step the backward pass, 1 2 3 choose the
// view (4: Your turn), Space trains or pauses in Training, + / − change the type size
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (e.altKey || e.ctrlKey || e.metaKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
  // ← and → scroll a focused region that is wider than its box (the current step, a form card)
  if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && t.scrollWidth > t.clientWidth) return;
  const s = store.state;
  const k = shown?.net.k ?? 0;
  const views: Record<string, State['tab']> = { '1': 'forward', '2': 'forms', '3': 'train', '4': 'student' };
  if (views[e.key]) store.update({ tab: views[e.key]! });
  else if (e.key === '+' || e.key === '=') store.update({ big: true });
  else if (e.key === '-') store.update({ big: false });
  else if (s.tab === 'forward' && e.key === 'ArrowRight') store.update({ step: Math.min(s.step + 1, k) });
  else if (s.tab === 'forward' && e.key === 'ArrowLeft') store.update({ step: Math.max(0, s.step - 1) });
  else if (s.tab === 'forward' && e.key === 'Home') store.update({ step: 0 });
  else if (s.tab === 'forward' && e.key === 'End') store.update({ step: k });
  else if (s.tab === 'train' && e.key === ' ' && t.tagName !== 'BUTTON') {
    e.preventDefault();
    $('train-play').click();
  } else return;
});

linkNotice(store.problems, repair);

/**
 * One notice at the top of the page about the link: values it could not read (their defaults are used), what was
 * changed so that its network builds, or what still stops it. Replaced by the next link's, closed by its button.
 */
function linkNotice(problems: readonly HashProblem[], r: Repair): void {
  document.getElementById('link-notice')?.remove();
  const lines: string[] = [];
  if (problems.length > 0)
    lines.push(
      'This link has values the explorer cannot read, so their defaults are used: ' +
        `${problems.map((p) => `${p.key}=${p.value}`).join(', ')}.`,
    );
  if (r.changes.length > 0)
    lines.push(`This link's network was changed so that it can be shown: ${r.changes.join('; ')}.`);
  if (r.unresolved)
    lines.push(`This link's network cannot be shown: ${r.unresolved}. Correct it in the panel "Network".`);
  if (lines.length === 0) return;
  const notice = Object.assign(document.createElement('div'), { className: 'notice', id: 'link-notice' });
  notice.setAttribute('role', 'status');
  for (const line of lines) notice.append(Object.assign(document.createElement('p'), { textContent: line }));
  notice.append(button('close', () => notice.remove(), 'button small notice-close'));
  document.querySelector('main')!.prepend(notice);
}

function flash(el: HTMLElement, text: string): void {
  el.textContent = text;
  setTimeout(() => (el.textContent = 'Copy link'), 1600);
}

/**
 * Copies the address: the Clipboard API where the page may use it (https, localhost), else the old
 * execCommand('copy') on a selected text field; when both fail (plain http on a classroom server), the
 * address stays shown, selected, in a field beside the button, to copy by hand.
 */
function copyLink(pop: Popover, at: HTMLElement): void {
  const url = location.href;
  const fallback = () => {
    const field = Object.assign(document.createElement('input'), {
      type: 'text',
      value: url,
      readOnly: true,
      id: 'link-text',
    });
    field.setAttribute('aria-label', 'the link to this state');
    const note = Object.assign(document.createElement('div'), { className: 'popover-note', id: 'link-note' });
    pop.show(
      at.getBoundingClientRect(),
      Object.assign(document.createElement('div'), {
        className: 'popover-title',
        textContent: 'The link to this state',
      }),
      field,
      note,
    );
    field.focus();
    field.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    note.textContent = copied
      ? 'Copied. (The link is also here to copy again.)'
      : 'This page may not write to the clipboard (plain http): the link is selected, press Ctrl+C (⌘C).';
    flash(at, copied ? 'Copied' : 'Copy by hand');
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(url).then(() => flash(at, 'Copied'), fallback);
  } else fallback();
}

/** auto → the opposite of the system's scheme → its own → auto. */
function nextTheme(t: State['theme'], systemDark: boolean): State['theme'] {
  if (t === 'auto') return systemDark ? 'light' : 'dark';
  return 'auto';
}

const captions: Partial<Record<State['tab'], string>> = {
  forward:
    `Blue edges: positive weights, orange: negative, thicker: larger. ${clickWord(true)} a neuron to change its σ, ` +
    `an entry of W to edit it; ${hoverWord()} any symbol or number to see where else it appears.`,
  forms: `The same gradient by every formula of the paper; ${hoverWord()} a symbol or number to find it everywhere.`,
};

function renderDiagram(): void {
  const s = store.state;
  const m = shown;
  // the Training view draws its own network
  if (s.tab === 'train') return;
  const net = m?.net;
  if (!net) return;
  const k = net.k;
  const step = Math.min(s.step, k);
  const deltas = new Map<number, Matrix>();
  if (s.tab === 'forward' && m) for (let i = k; i > k - step; i--) deltas.set(i, m.D.get(i));
  diagram.update({
    n: net.n,
    W: net.W.indices().map((i) => net.W.get(i)),
    acts: net.sigma.indices().map((i) => net.sigma.get(i).sigmas.map((a) => a.name)),
    affine: s.affine,
    deltas,
    tagRoom: s.tab === 'forward',
    ...(s.tab === 'forward' && step > 0 ? { current: k - step + 1 } : {}),
    ...(stickyDiagram() ? { maxHeight: Math.round(window.innerHeight * 0.26) } : {}),
    onNeuronClick: chooseActivation,
    caption: captions[s.tab] ?? '',
  });
}

/** Whether the diagram stays under the header as the page scrolls (Forward & backward on a wide screen). */
function stickyDiagram(): boolean {
  return getComputedStyle($('diagram-panel')).position === 'sticky';
}
// a new width lays the diagram out again (a new height alone does not: a full-page capture or a phone's address
// bar would redraw it, and drop what the pointer marked)
let shownWidth = window.innerWidth;
window.addEventListener('resize', () => {
  if (window.innerWidth === shownWidth) return;
  shownWidth = window.innerWidth;
  renderDiagram();
  updateScrollCues();
});

/** The σ chooser for neuron j of layer i (from a click in the diagram). */
function chooseActivation(i: number, j: number, at: DOMRect): void {
  const widths = built.network?.widths ?? shown?.widths;
  if (!widths) return;
  const acts = fitActivationSpec(store.state.act, widths);
  const sel = select(activationChoices(built.customs), acts[i - 1]![j]!);
  sel.id = 'neuron-act';
  sel.setAttribute('aria-label', `activation of neuron ${j + 1} in layer ${i}`);
  const apply = (whole: boolean) => {
    const next = acts.map((l, jj) => (jj === i - 1 ? l.map((a, r) => (whole || r === j ? sel.value : a)) : l));
    update({ act: formatActs(next) });
    popover.hide();
  };
  sel.addEventListener('change', () => apply(false));
  const title = Object.assign(document.createElement('div'), {
    className: 'popover-title',
    textContent: `σ of neuron ${j + 1} in layer ${i}`,
  });
  popover.show(
    at,
    title,
    sel,
    button('use for the whole layer', () => apply(true), 'button small'),
  );
}

async function openModel(file: File): Promise<void> {
  const extra: Record<string, Activation> = {};
  for (const c of built.customs) if (c) extra[c.name] = c.activation;
  const r = /\.onnx$/i.test(file.name)
    ? safeImportOnnx(new Uint8Array(await file.arrayBuffer()), { source: file.name })
    : safeParseModel(await file.text(), { source: file.name, extraActivations: extra });
  if (!r.ok) {
    builder.showModelError(r.error.message);
    return;
  }
  const { network, affine } = r.model;
  const widths = affine ? [...affine.m] : [...network.n];
  const wide = widths.findIndex((w) => w > MAX_WIDTH);
  if (wide >= 0) {
    builder.showModelError(
      `${file.name}: ${affine ? 'm' : 'n'}_${wide} = ${widths[wide]}; the explorer shows ` +
        `networks with at most ${MAX_WIDTH} neurons per layer (nabla grad takes any size)`,
    );
    return;
  }
  const layers = affine ?? network;
  const edits = new Map<string, number>();
  for (const i of layers.W.indices()) {
    const W = layers.W.get(i);
    for (let row = 0; row < W.rows; row++)
      for (let c = 0; c < W.cols; c++) edits.set(`${i}.${row}.${c}`, W.get(row, c));
  }
  builder.showModelError(undefined);
  update({
    widths: widths.join(', '),
    affine: affine !== undefined,
    act: formatActs(layers.sigma.indices().map((i) => layers.sigma.get(i).sigmas.map((a) => a.name))),
    w: formatEdits(edits),
    step: 0,
  });
}

function downloadModel(): void {
  const m = shown;
  if (!m) return;
  const text = m.affine ? serializeModel({ affine: m.affine }) : serializeModel({ network: m.net });
  downloadText(text, 'network.json');
}

const modelKeys: ReadonlySet<keyof State> = new Set([
  'widths',
  'act',
  'custom',
  'seed',
  'init',
  'affine',
  'x',
  'v',
  'w',
]);

function render(changed: ReadonlySet<keyof State> | 'all'): void {
  const s = store.state;
  if (changed === 'all' || [...changed].some((c) => modelKeys.has(c))) {
    built = buildModel(s);
    if (built.model) shown = built.model;
  }
  builder.update(s, built);
  for (const t of tabs) $(`tab-${t}`).hidden = s.tab !== t;
  for (const b of Array.from($('tabs').querySelectorAll<HTMLButtonElement>('button')))
    b.classList.toggle('active', b.dataset.tab === s.tab);
  document.body.dataset.tab = s.tab;
  intro.textContent = intros[s.tab]();
  for (const part of uiParts) document.documentElement.classList.toggle(`hide-${part}`, s.hideUi.includes(part));
  document.documentElement.classList.toggle('big', s.big);
  document.documentElement.classList.toggle('theme-dark', s.theme === 'dark');
  document.documentElement.classList.toggle('theme-light', s.theme === 'light');
  $('projector').setAttribute('aria-pressed', String(s.big));
  $('projector').classList.toggle('active', s.big);
  $('theme').textContent = `${s.theme === 'auto' ? '◐' : s.theme === 'dark' ? '☾' : '☀'} theme: ${s.theme}`;
  $('theme').setAttribute('aria-label', `Colour theme: ${s.theme}`);
  document.body.classList.toggle('stale', built.model === undefined && s.tab !== 'train' && s.tab !== 'student');
  const m = shown;
  if (m) {
    if (s.tab === 'forward') {
      forwardView.update(m);
      backwardView.update(m, s.step);
    } else if (s.tab === 'forms') formsView.update(m, s.col, s.li);
  }
  if (training.update(s, built.customs)) {
    run.sync(s, changed);
    if (changed === 'all' || changed.has('tab') || changed.has('disc') || changed.has('test') || changed.has('big'))
      frames.request();
  }
  student.update(s, changed);
  renderDiagram();
  updateScrollCues();
}

store.subscribe((_s, changed) => render(changed));
window.addEventListener('hashchange', () => {
  const problems = store.replace(location.hash);
  const r = repairLink(store.state);
  store.update(r.patch);
  linkNotice(problems, r);
});
render('all');
