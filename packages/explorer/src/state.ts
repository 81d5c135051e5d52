/**
 * The whole state of the explorer, kept in the URL hash, so a copied address shows exactly the same network,
 * weights, inputs, step and tab. Each property has a short hash key and a codec; typed text is kept as typed
 * (model.ts interprets it); values that do not decode fall back to the default, reported by `readHash`.
 * A student's link (`student=…&variant=…&course=…`, nabla/teach's `readStudentLink`) is kept as it came.
 */
import { readStudentLink } from 'nabla/teach';

export const tabs = ['forward', 'forms', 'train', 'student'] as const;
export type Tab = (typeof tabs)[number];
export const classificationSets = ['xor', 'circles', 'spiral', 'gaussians', 'moons'] as const;
export const regressionSets = ['plane', 'multigauss'] as const;
export const datasets = [...classificationSets, ...regressionSets, 'csv'] as const;
export type DatasetName = (typeof datasets)[number];
export const problems = ['classification', 'regression'] as const;
export type Problem = (typeof problems)[number];
export const regularizations = ['none', 'l1', 'l2'] as const;
export type RegularizationChoice = (typeof regularizations)[number];
export const themes = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];
export const optimizers = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerChoice = (typeof optimizers)[number];
export const inits = ['glorot', 'he', 'uniform'] as const;
export type InitChoice = (typeof inits)[number];
/**
 * Parts of the page a lecturer can hide through the link (`#hideui=builder,data`), as TensorFlow Playground allows:
 * the network panel, the view buttons (all, or one view's), the first line of each view, the captions, the header's
 * buttons, and in Training the data column, the fields of the control bar and the + and − of the network.
 */
export const uiParts = [
  'builder',
  'tabs',
  'forward',
  'forms',
  'train',
  'student',
  'intro',
  'captions',
  'actions',
  'data',
  'settings',
  'layers',
] as const;
export type UiPart = (typeof uiParts)[number];

/** The pass a "your turn" exercise asks for (the library's exercise kinds 'forward' and 'backward'). */
export const passes = ['backward', 'forward'] as const;
export type PassChoice = (typeof passes)[number];
/** Whether "your turn" checks the typed entries as they are typed ('off' for an exam: no verdict in the page). */
export const gradings = ['on', 'off'] as const;
export type Grading = (typeof gradings)[number];

export interface State {
  /** Active tab. */
  tab: Tab;
  /**
   * A student's link: "your turn" on their variant of a class, the link's own entries as written by
   * `nabla exercise --explorer` (nabla/teach's studentLink); empty: no student.
   */
  studentLink: string;
  /** Widths as typed: n_0, …, n_k (with `affine`: the genuine widths m_0, …, m_k). */
  widths: string;
  /** Activations: layers separated by ';', one name per layer or one per neuron separated by ','. */
  act: string;
  /** Custom activation formulas in x (mathjs syntax); referred to as custom1, custom2, … */
  custom: string[];
  /** Seed of the random weights. */
  seed: number;
  init: InitChoice;
  /** Paper §3: biases as the last column of W_i, formal neurons. */
  affine: boolean;
  /** Input samples (the columns of X): numbers separated by ',', samples by ';'. */
  x: string;
  /** v in place of Δ_{k+1} = 1 when n_k > 1 (numbers separated by ','); empty = all ones. */
  v: string;
  /** Weight edits on top of the seeded weights: "i.r.c=value" separated by ';' (0-based r, c; i from 1). */
  w: string;
  /** Backward steps shown: 0 = forward only, s = Δ_k … Δ_{k−s+1} computed. */
  step: number;
  /** Sample (column of X) whose intermediate products the forms tab shows. */
  col: number;
  /** Layer i whose ∇_{W_i} f the forms tab writes out (0: every layer). */
  li: number;
  data: DatasetName;
  /** Standard deviation of the noise added to the 2-D data (coordinate units). */
  noise: number;
  /** Samples drawn for a synthetic data set. */
  count: number;
  /** Fraction of the data used for training (the rest is the test set). */
  split: number;
  lr: number;
  batch: number;
  opt: OptimizerChoice;
  /** Training: classification or regression (which data sets are offered, how a CSV file is read). */
  problem: Problem;
  /** Training network: the hidden widths (the input width is the number of features, the output width fits the data). */
  th: string;
  /** Training network: σ of the hidden layers (the last layer is the identity, the loss works on its logits). */
  ta: string;
  /** Training network: biases (the affine network of §3). */
  tb: boolean;
  /** Training: the input features, names from features.ts separated by ','. */
  feat: string;
  /** Training: L1 / L2 penalty on the weights and its rate. */
  reg: RegularizationChoice;
  rate: number;
  /** Training: the output map in two colours only. */
  disc: boolean;
  /** Training: draw the test points on the output map. */
  test: boolean;
  /** Seed of the synthetic data (Regenerate draws new points). */
  dseed: number;
  /** Projector mode: larger type everywhere. */
  big: boolean;
  theme: Theme;
  /** "Your turn" (student mode): the seed of the exercise drawn by the library's generateExercises. */
  exSeed: number;
  /** The exercise's widths as typed (n_0, …, n_k with n_k = 1). */
  exWidths: string;
  /** The exercise's activations: one name for every layer, or one per layer separated by ';'. */
  exAct: string;
  /** The pass asked for: Δ_i and ∇_{W_i} f (backward) or N_i, Σ_i, Σ'_i (forward). */
  exPass: PassChoice;
  /** The matrices hidden for the student to type, by answer name ("D_2,gradW_1"); 'all': every one of the pass. */
  exHide: string;
  /** The answers are shown (a lecturer's link "with answers"); never with a studentLink. */
  exReveal: boolean;
  /** With a studentLink: the exercise shown, 1 … the class's count. */
  exNo: number;
  /** With a studentLink: the entries typed, every exercise's (student-typed.ts). */
  typed: string;
  /** Whether the typed entries are checked as they are typed. */
  grade: Grading;
  /** Parts of the page hidden by the lecturer's link (uiParts). */
  hideUi: UiPart[];
}

export const defaults: Readonly<State> = Object.freeze({
  tab: 'forward',
  studentLink: '',
  widths: '2, 3, 1',
  act: 'tanh;sigmoid',
  custom: [],
  seed: 7,
  init: 'glorot',
  affine: false,
  x: '0.5, -1',
  v: '',
  w: '',
  step: 0,
  col: 0,
  li: 1,
  data: 'xor',
  noise: 0,
  count: 300,
  split: 0.5,
  lr: 0.01,
  batch: 10,
  opt: 'adam',
  problem: 'classification',
  th: '12, 12',
  ta: 'tanh',
  tb: true,
  feat: 'x1,x2',
  reg: 'none',
  rate: 0.001,
  disc: false,
  test: true,
  dseed: 1,
  big: false,
  theme: 'auto',
  exSeed: 9,
  exWidths: '2, 2, 1',
  exAct: 'relu',
  exPass: 'backward',
  exHide: 'all',
  exReveal: false,
  exNo: 1,
  typed: '',
  grade: 'on',
  hideUi: [],
});

interface Codec<T> {
  /** Key in the URL hash. */
  key: string;
  decode(s: string): T | undefined;
  encode(v: T): string;
}

const text = (key: string): Codec<string> => ({ key, decode: (s) => s, encode: (v) => v });
const int = (key: string, lo: number, hi: number): Codec<number> => ({
  key,
  decode: (s) => (/^-?\d+$/.test(s) && Number(s) >= lo && Number(s) <= hi ? Number(s) : undefined),
  encode: String,
});
const num = (key: string, lo: number, hi: number): Codec<number> => ({
  key,
  decode: (s) =>
    s.trim() !== '' && Number.isFinite(Number(s)) && Number(s) >= lo && Number(s) <= hi ? Number(s) : undefined,
  encode: String,
});
const bool = (key: string): Codec<boolean> => ({
  key,
  decode: (s) => (s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined),
  encode: (v) => (v ? '1' : '0'),
});
const oneOf = <T extends string>(key: string, values: readonly T[]): Codec<T> => ({
  key,
  decode: (s) => ((values as readonly string[]).includes(s) ? (s as T) : undefined),
  encode: (v) => v,
});
/** Names from `values` separated by ',' (empty: none); a name not in `values` makes the whole entry unreadable. */
const someOf = <T extends string>(key: string, values: readonly T[]): Codec<T[]> => ({
  key,
  decode: (s) => {
    const names = s
      .split(',')
      .map((n) => n.trim())
      .filter((n) => n !== '');
    return names.every((n) => (values as readonly string[]).includes(n)) ? (names as T[]) : undefined;
  },
  encode: (v) => v.join(','),
});
/** A list, written as one hash entry per item (`custom=…&custom=…`; encodeState and decodeState handle it). */
const list = (key: string): Codec<string[]> => ({ key, decode: (s) => s.split('\n'), encode: (v) => v.join('\n') });

/** The property table: every field of State, its hash key and codec. */
export const props: { readonly [K in keyof State]: Codec<State[K]> } = {
  tab: oneOf('tab', tabs),
  // several keys (student, variant, course, …): read and written as a whole by encodeState and decodeState
  studentLink: text('student'),
  widths: text('n'),
  act: text('act'),
  custom: list('custom'),
  seed: int('seed', -2147483648, 2147483647),
  init: oneOf('init', inits),
  affine: bool('affine'),
  x: text('x'),
  v: text('v'),
  w: text('w'),
  step: int('step', 0, 64),
  col: int('col', 0, 64),
  li: int('li', 0, 64),
  data: oneOf('data', datasets),
  noise: num('noise', 0, 5),
  count: int('count', 20, 2000),
  split: num('split', 0.1, 0.9),
  lr: num('lr', 1e-6, 10),
  batch: int('batch', 1, 1000),
  opt: oneOf('opt', optimizers),
  problem: oneOf('problem', problems),
  th: text('th'),
  ta: text('ta'),
  tb: bool('tb'),
  feat: text('feat'),
  reg: oneOf('reg', regularizations),
  rate: num('rate', 0, 10),
  disc: bool('disc'),
  test: bool('test'),
  dseed: int('dseed', 0, 2147483647),
  big: bool('big'),
  theme: oneOf('theme', themes),
  exSeed: int('ex', 0, 2147483647),
  exWidths: text('exn'),
  exAct: text('exact'),
  exPass: oneOf('expass', passes),
  exHide: text('hide'),
  exReveal: bool('answers'),
  exNo: int('exno', 1, 50),
  typed: text('typed'),
  grade: oneOf('grade', gradings),
  hideUi: someOf('hideui', uiParts),
};

const keys = Object.keys(props) as (keyof State)[];

/** The hash for a state: only the fields that differ from the defaults, in the table's order. */
export function encodeState(s: State): string {
  const q = new URLSearchParams();
  for (const k of keys) {
    if (k === 'custom') {
      for (const f of s.custom) q.append(props.custom.key, f);
      continue;
    }
    if (k === 'studentLink') continue;
    const c = props[k] as Codec<State[typeof k]>;
    const v = c.encode(s[k]);
    if (v !== c.encode(defaults[k])) q.set(c.key, v);
  }
  // URLSearchParams writes a space as "+" (a "+" typed is %2B): %20 reads the same everywhere a link is pasted
  const hash = q.toString().replace(/\+/g, '%20').replace(/%2C/g, ',').replace(/%3B/g, ';').replace(/%3D/g, '=');
  if (s.studentLink === '') return hash;
  // the student's entries right after the tab, as the link wrote them
  const tab = /^tab=[^&]*/.exec(hash)?.[0];
  const rest = tab === undefined ? hash : hash.slice(tab.length).replace(/^&/, '');
  return [tab, s.studentLink, rest].filter((p) => p !== undefined && p !== '').join('&');
}

export interface HashProblem {
  key: string;
  value: string;
}

/** The state a hash describes; entries that do not decode keep the default and are listed in `problems`. */
export function decodeState(hash: string): { state: State; problems: HashProblem[] } {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const state: State = { ...defaults, custom: [] };
  const problems: HashProblem[] = [];
  const set = <K extends keyof State>(k: K, v: State[K]) => {
    state[k] = v;
  };
  for (const k of keys) {
    const c = props[k];
    if (k === 'custom') {
      state.custom = q.getAll(c.key);
      continue;
    }
    if (k === 'studentLink') {
      state.studentLink = readStudentLink(hash)?.fragment ?? '';
      continue;
    }
    const raw = q.get(c.key);
    if (raw === null) continue;
    const v = c.decode(raw);
    if (v === undefined) problems.push({ key: c.key, value: raw });
    else set(k, v as State[typeof k]);
  }
  return { state, problems };
}

/** The one state object of the page, its listeners, and the link to location.hash. */
export class Store {
  private current: State;
  private readonly listeners: ((s: State, changed: ReadonlySet<keyof State>) => void)[] = [];
  readonly problems: HashProblem[];

  constructor(hash: string) {
    const { state, problems } = decodeState(hash);
    this.current = state;
    this.problems = problems;
  }

  get state(): Readonly<State> {
    return this.current;
  }

  /** Applies a change, writes the hash (replacing the history entry) and tells the listeners what changed. */
  update(patch: Partial<State>): void {
    const changed = new Set<keyof State>();
    const next = { ...this.current };
    for (const k of Object.keys(patch) as (keyof State)[]) {
      const v = patch[k];
      if (v === undefined) continue;
      if (JSON.stringify(v) !== JSON.stringify(this.current[k])) changed.add(k);
      (next as Record<string, unknown>)[k] = v;
    }
    if (changed.size === 0) return;
    this.current = next;
    const hash = encodeState(next);
    if (typeof history !== 'undefined')
      history.replaceState(null, '', hash === '' ? location.pathname + location.search : `#${hash}`);
    for (const l of this.listeners) l(next, changed);
  }

  /** Replaces the whole state (from a new hash typed into the address bar); returns the values it could not read. */
  replace(hash: string): HashProblem[] {
    const { state, problems } = decodeState(hash);
    const changed = new Set(keys.filter((k) => JSON.stringify(state[k]) !== JSON.stringify(this.current[k])));
    this.current = state;
    if (changed.size > 0) for (const l of this.listeners) l(state, changed);
    return problems;
  }

  subscribe(l: (s: State, changed: ReadonlySet<keyof State>) => void): void {
    this.listeners.push(l);
  }
}
