/**
 * The forward pass (paper §2) as matrices with numbers: Σ_0 = X, then for each layer W_i (click an entry to
 * edit it), N_i = W_i·Σ_{i−1}, Σ_i = Σ_i(N_i) and Σ'_i = Σ'_i(N_i), all from the library's Trace.
 * With the affine switch, the bias column of W_i and the formal neuron's fixed row are marked (§3).
 */
import type { WorkedNetwork } from '../model.js';
import { symTex } from '../notation.js';
import { sectionHead } from './formula.js';
import { matrixView } from './matrix.js';

export interface ForwardActions {
  editWeight(i: number, r: number, c: number, value: number): void;
}

export class ForwardView {
  private readonly body: HTMLElement;

  constructor(
    root: HTMLElement,
    private readonly actions: ForwardActions,
  ) {
    const head = sectionHead(
      'Forward pass',
      'N_1 = W_1\\cdot X,\\quad N_{i+1} = W_{i+1}\\cdot\\Sigma_i(N_i),\\quad f(X;W) = \\Sigma_k(N_k)',
    );
    this.body = document.createElement('div');
    this.body.className = 'layers';
    const panel = document.createElement('div');
    panel.className = 'panel';
    panel.append(head, this.body);
    root.append(panel);
  }

  update(m: WorkedNetwork): void {
    const { net, trace, affine } = m;
    const k = net.k;
    const blocks: HTMLElement[] = [];
    const col = (title: string, ...items: HTMLElement[]) => {
      const c = document.createElement('div');
      c.className = 'layer-block';
      c.append(
        Object.assign(document.createElement('div'), { className: 'layer-title', textContent: title }),
        ...items,
      );
      return c;
    };
    blocks.push(
      col(
        'input',
        matrixView(trace.S.get(0), {
          sym: 'S0',
          label: '\\Sigma_0 = X',
          formalRow: affine !== undefined,
          note: affine ? '(last row: the constant 1, §3 (a))' : '',
        }),
      ),
    );
    for (let i = 1; i <= k; i++) {
      const formal = affine !== undefined && i < k;
      const sig = m.acts[i - 1]!;
      const actNote = sig.every((a) => a === sig[0]) ? sig[0]! : sig.join(', ');
      const values = document.createElement('div');
      values.className = 'layer-values';
      values.append(
        matrixView(trace.N.get(i), { sym: `N${i}`, label: `${symTex('N', i)} = W_{${i}}\\cdot ${symTex('S', i - 1)}` }),
        matrixView(trace.S.get(i), { sym: `S${i}`, label: `${symTex('S', i)}(N_{${i}})`, formalRow: formal }),
        matrixView(trace.dS.get(i), { sym: `dS${i}`, label: `${symTex('dS', i)}(N_{${i}})`, formalRow: formal }),
      );
      const sigmaNote = Object.assign(document.createElement('div'), {
        className: 'matrix-note',
        textContent: `σ: ${actNote}${formal ? '; the formal neuron: identity' : ''}`,
      });
      blocks.push(
        col(
          i === k ? `layer ${i} (output)` : `layer ${i}`,
          matrixView(net.W.get(i), {
            sym: `W${i}`,
            label: symTex('W', i),
            biasCol: affine !== undefined,
            formalRow: formal,
            onEdit: (r, c, v) => this.actions.editWeight(i, r, c, v),
          }),
          values,
          sigmaNote,
        ),
      );
    }
    // an entry edited from the keyboard keeps the focus when the matrices are drawn anew with its new value
    const focused = document.activeElement?.closest<HTMLElement>('td[data-sym]');
    const keep = focused && this.body.contains(focused) ? focused.dataset : undefined;
    this.body.replaceChildren(...blocks);
    if (keep)
      this.body
        .querySelector<HTMLElement>(`td[data-sym="${keep.sym}"][data-r="${keep.r}"][data-c="${keep.c}"]`)
        ?.focus();
  }
}
