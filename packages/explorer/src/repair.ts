/**
 * A link that cannot be shown as it stands, repaired: when the network of a link does not build (widths that do
 * not read, inputs X that do not fit n_0, a v that does not fit n_k, an unknown activation), the smallest change
 * that makes it build, each change said in one sentence for the notice at the top of the page. The page never
 * opens empty: what is still wrong after the repairs is one message at the top.
 */
import { type Built, buildModel, parseWidths } from './model.js';
import { defaults, type State } from './state.js';

export interface Repair {
  /** The fields changed (empty: the link builds as it stands, or nothing helped). */
  patch: Partial<State>;
  /** One sentence per change, for the notice. */
  changes: string[];
  /** What is still wrong when no repair helped (the model does not build). */
  unresolved: string | undefined;
}

/** The default samples' numbers, repeated to fill a sample of another width. */
const FILL = [0.5, -1, 0.25, 2];

/** Samples refitted to n0 numbers each: the numbers typed, cut or continued with FILL; one sample if none read. */
export function fitSamples(x: string, n0: number): string {
  const rows = x
    .split(/[;\n]/)
    .map((r) => r.split(/[\s,]+/).filter((p) => p !== '' && Number.isFinite(Number(p))))
    .filter((r) => r.length > 0)
    .slice(0, 4);
  if (rows.length === 0) rows.push([]);
  return rows
    .map((r) => Array.from({ length: n0 }, (_, j) => r[j] ?? String(FILL[j % FILL.length])).join(', '))
    .join('; ');
}

/**
 * The changes that make `state`'s network build, tried in the order the fields depend on each other: the widths,
 * the activations, the inputs X, v. `build` is buildModel (a parameter for the tests).
 */
export function repairLink(state: Readonly<State>, build: (s: Readonly<State>) => Built = buildModel): Repair {
  const patch: Partial<State> = {};
  const changes: string[] = [];
  let s: State = { ...state };
  const letter = state.affine ? 'm' : 'n';
  for (let round = 0; round < 5; round++) {
    const built = build(s);
    if (built.model) return { patch, changes, unresolved: undefined };
    // a custom formula that does not compile stops the network only through an activation that uses it
    const [field, message] = [...built.errors].find(([f]) => !f.startsWith('custom')) ?? ['', ''];
    let fix: Partial<State> | undefined;
    let said = '';
    if (field === 'widths' && s.widths !== defaults.widths) {
      fix = { widths: defaults.widths, affine: defaults.affine };
      said = `the widths "${s.widths}" (${message}) are replaced by the default ${defaults.widths}`;
    } else if (field === 'act' && s.act !== defaults.act) {
      fix = { act: defaults.act };
      said = `the activations "${s.act}" (${message}) are replaced by the default, tanh then sigmoid`;
    } else if (field === 'x') {
      const widths = parseWidths(s.widths, s.affine);
      const n0 = widths.ok ? widths.value[0]! : 2;
      const x = fitSamples(s.x, n0);
      if (x !== s.x) {
        fix = { x };
        said = `the inputs X = "${s.x}" do not fit ${letter}_0 = ${n0}, so each sample now has ${n0}: X = ${x}`;
      }
    } else if (field === 'v' && s.v !== '') {
      fix = { v: '' };
      said = `v = "${s.v}" (${message}) is replaced by ones`;
    }
    if (!fix) return { patch, changes, unresolved: message || 'the network does not build' };
    Object.assign(patch, fix);
    s = { ...s, ...fix };
    changes.push(said);
  }
  return { patch, changes, unresolved: 'the network does not build' };
}
