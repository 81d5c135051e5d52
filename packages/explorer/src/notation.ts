/**
 * The paper's symbols as the explorer shows them, keyed by the names the library and `nabla grad --json` use
 * (N, S, dS, D, gradW, gradS, W): a rendered entry carries `data-sym="<key><index>"` ("D2", "S0" for X).
 * `kind` says what rows and columns stand for: 'neurons' (neurons × samples) or 'weights'.
 */
export type SymbolKey = 'W' | 'N' | 'S' | 'dS' | 'D' | 'gradW' | 'gradS';

export interface SymbolInfo {
  /** TeX with `#` for the index. */
  tex: string;
  /** Plain text with `#` for the index. */
  unicode: string;
  /** Shape, in the paper's letters. */
  shape: string;
  kind: 'neurons' | 'weights';
  doc: string;
}

export const notation: Readonly<Record<SymbolKey, SymbolInfo>> = {
  W: { tex: 'W_{#}', unicode: 'W_#', shape: 'n_i × n_{i−1}', kind: 'weights', doc: 'the weights of layer i' },
  N: {
    tex: 'N_{#}',
    unicode: 'N_#',
    shape: 'n_i × B',
    kind: 'neurons',
    doc: 'N_i = W_i·Σ_{i−1}, the inputs of the neurons of layer i',
  },
  S: {
    tex: '\\Sigma_{#}',
    unicode: 'Σ_#',
    shape: 'n_i × B',
    kind: 'neurons',
    doc: 'Σ_i(N_i), the outputs of layer i (Σ_0 = X, the input, one column per sample)',
  },
  dS: {
    tex: "\\Sigma'_{#}",
    unicode: "Σ'_#",
    shape: 'n_i × B',
    kind: 'neurons',
    doc: "Σ'_i(N_i), the derivatives of the activations at N_i",
  },
  D: {
    tex: '\\Delta_{#}',
    unicode: 'Δ_#',
    shape: 'n_i × B',
    kind: 'neurons',
    doc: "Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i, the backpropagated error",
  },
  gradW: {
    tex: '\\nabla_{W_{#}} f',
    unicode: '∇_{W_#} f',
    shape: 'n_i × n_{i−1}',
    kind: 'weights',
    doc: 'the gradient of f with respect to W_i (summed over the samples)',
  },
  gradS: {
    tex: '\\nabla_{\\Sigma_{#}} f',
    unicode: '∇_{Σ_#} f',
    shape: 'n_i × B',
    kind: 'neurons',
    doc: 'the gradient of f with respect to Σ_i, identity (7) of the proof',
  },
};

/** "D2" → { key: 'D', index: 2 }; undefined for anything else. */
export function parseSym(sym: string): { key: SymbolKey; index: number } | undefined {
  const m = /^(W|N|S|dS|D|gradW|gradS)(\d+)$/.exec(sym);
  if (!m) return undefined;
  return { key: m[1] as SymbolKey, index: Number(m[2]) };
}

/** The TeX of a symbol with its index ("S", 0 gives X: Σ_0 = X). */
export function symTex(key: SymbolKey, index: number): string {
  if (key === 'S' && index === 0) return 'X';
  return notation[key].tex.replace('#', String(index));
}

/** The plain-text name of a symbol with its index. */
export function symText(key: SymbolKey, index: number): string {
  if (key === 'S' && index === 0) return 'X';
  return notation[key].unicode.replace('#', String(index));
}
