/**
 * Hover links between formulas, matrices and the diagram, all through data attributes (data-sym, data-layer,
 * data-r, data-c): hovering one thing marks the same thing everywhere (class `hl`) and what belongs to it (`hl2`),
 * e.g. a neuron marks its rows of N_i, Σ_i, Σ'_i, Δ_i and W_i and its edges, an entry of Δ_i the entries it came from.
 */
import { notation, parseSym, type SymbolKey } from './notation.js';

interface Target {
  key: SymbolKey | undefined;
  /** Symbol index (layer i of W_i, N_i, …). */
  index: number;
  r: number | undefined;
  c: number | undefined;
  /** A diagram neuron or an unnamed row (no symbol). */
  neuron: boolean;
}

function describe(e: Element): Target | undefined {
  const ds = (e as HTMLElement).dataset ?? {};
  const r = ds.r === undefined ? undefined : Number(ds.r);
  const c = ds.c === undefined ? undefined : Number(ds.c);
  if (ds.sym) {
    const s = parseSym(ds.sym);
    if (!s) return undefined;
    return { key: s.key, index: s.index, r, c, neuron: false };
  }
  if (ds.layer !== undefined) return { key: undefined, index: Number(ds.layer), r, c, neuron: true };
  return undefined;
}

/** The neurons (layer, row) an entry or symbol stands for: rows of layer i; for W-like symbols also columns of layer i − 1. */
function neuronsOf(t: Target): { layer: number; row: number | undefined }[] {
  if (!t.key) return [{ layer: t.index, row: t.r }];
  if (notation[t.key].kind === 'weights')
    return [
      { layer: t.index, row: t.r },
      { layer: t.index - 1, row: t.c },
    ];
  return [{ layer: t.index, row: t.r }];
}

function sameSymbol(a: Target, b: Target): boolean {
  return a.key !== undefined && a.key === b.key && a.index === b.index;
}

/** 2: the same thing, 1: related, 0: unrelated. */
function relation(h: Target, e: Target): 0 | 1 | 2 {
  if (sameSymbol(h, e)) {
    if (h.r === undefined || e.r === undefined) return 2; // the whole symbol, or its name
    return h.r === e.r && (h.c === undefined || e.c === undefined || h.c === e.c) ? 2 : 0;
  }
  const hn = neuronsOf(h);
  // hovering a neuron: its rows everywhere (2 for the neuron itself in the diagram)
  if (h.neuron) {
    if (e.neuron) return e.index === h.index && e.r === h.r && e.key === undefined ? (e.c === undefined ? 2 : 1) : 0;
    if (!e.key || e.r === undefined) return 0;
    if (notation[e.key].kind === 'weights')
      return (e.index === h.index && e.r === h.r) || (e.index === h.index + 1 && e.c === h.r) ? 1 : 0;
    return e.index === h.index && e.r === h.r ? 1 : 0;
  }
  // an entry (r, c) of Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i: the factors it came from — entry (r, c) of the product and of
  // Σ'_i, row r of W_{i+1}ᵀ (column r of W_{i+1}) and column c of Δ_{i+1}
  if (h.key === 'D' && h.r !== undefined && h.c !== undefined) {
    if (e.neuron && e.key === undefined && e.c !== undefined)
      return e.index === h.index && e.r === h.r && e.c === h.c ? 1 : 0;
    if (e.key === 'dS' && e.index === h.index) return e.r === h.r && e.c === h.c ? 1 : 0;
    if (e.key === 'W' && e.index === h.index + 1 && e.c !== undefined) return e.c === h.r ? 1 : 0;
    if (e.key === 'D' && e.index === h.index + 1 && e.c !== undefined) return e.c === h.c ? 1 : 0;
  }
  // hovering a symbol or an entry: the neurons it stands for, and the matching edge of a weight
  if (e.neuron && e.c === undefined) {
    return hn.some((n) => n.layer === e.index && (n.row === undefined || n.row === e.r)) ? 1 : 0;
  }
  if (
    h.key &&
    e.key &&
    notation[h.key].kind === 'weights' &&
    (e.key === 'W' || e.key === 'gradW') &&
    h.index === e.index &&
    h.r !== undefined
  ) {
    return e.r === h.r && e.c === h.c ? 1 : 0;
  }
  return 0;
}

/**
 * Installs the hover behaviour on `root` (event delegation; works for content rendered later). Keyboard focus
 * does what the pointer does: focusing an entry, a neuron or an edge marks the same things as hovering it.
 */
export function installHighlight(root: HTMLElement): void {
  let marked: Element[] = [];
  const clear = () => {
    for (const m of marked) m.classList.remove('hl', 'hl2');
    marked = [];
  };
  const mark = (ev: Event) => {
    const from = (ev.target as Element).closest?.('[data-sym], [data-layer]');
    clear();
    if (!from) return;
    const h = describe(from);
    if (!h) return;
    for (const e of Array.from(root.querySelectorAll('[data-sym], [data-layer]'))) {
      const t = describe(e);
      if (!t) continue;
      const rel = relation(h, t);
      if (rel === 0) continue;
      e.classList.add(rel === 2 ? 'hl' : 'hl2');
      marked.push(e);
    }
  };
  root.addEventListener('mouseover', mark);
  root.addEventListener('mouseleave', clear);
  root.addEventListener('focusin', mark);
  root.addEventListener('focusout', (ev) => {
    if (!(ev as FocusEvent).relatedTarget) clear(); // focus moving on marks anew (focusin); leaving the page clears
  });
}
