/**
 * The backward pass one step at a time (paper §5, Remark 3): step s shows Δ_{k−s+1} computed with the numbers
 * substituted, the earlier steps listed. Every number comes from the worked gradient (model.ts); the page
 * multiplies nothing.
 */
import { subscript } from '../format.js';
import type { WorkedNetwork } from '../model.js';
import { button } from './field.js';
import { deltaFormula, gradFormula, sectionHead, sym, texElement, texMatrix } from './formula.js';

export interface BackwardActions {
  setStep(step: number): void;
}

export class BackwardView {
  private readonly status: HTMLElement;
  private readonly current: HTMLElement;
  private readonly history: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private step = 0;

  constructor(root: HTMLElement, actions: BackwardActions) {
    const panel = document.createElement('div');
    panel.className = 'panel backward';
    const head = sectionHead(
      'Backward pass, step by step',
      "\\Delta_i = (W_{i+1}^T\\cdot\\Delta_{i+1})\\circ\\Sigma'_i,\\quad \\Delta_{k+1} = W_{k+1}^T = 1,\\quad \\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T",
    );
    const controls = document.createElement('div');
    controls.className = 'stepper';
    this.prev = button('◀ Prev', () => actions.setStep(this.step - 1));
    this.prev.id = 'step-prev';
    this.next = button('Next ▶', () => actions.setStep(this.step + 1));
    this.next.id = 'step-next';
    const restart = button('start over', () => actions.setStep(0), 'button small');
    this.status = document.createElement('span');
    this.status.className = 'step-status';
    this.status.id = 'step-status';
    // announced by screen readers as the step changes ("step 2 of 3: Δ₂ and ∇W₂")
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.status.setAttribute('aria-atomic', 'true');
    controls.append(this.prev, this.next, this.status, restart);
    this.current = document.createElement('div');
    this.current.className = 'step-current';
    this.current.id = 'step-current';
    // a region that may scroll sideways: the keyboard can reach it (and scroll it with the arrows)
    this.current.tabIndex = 0;
    this.current.setAttribute('role', 'region');
    this.current.setAttribute('aria-label', 'the current step');
    this.history = document.createElement('div');
    this.history.className = 'step-history';
    panel.append(head, controls, this.current, this.history);
    root.append(panel);
  }

  update(m: WorkedNetwork, requested: number): void {
    const k = m.net.k;
    const step = Math.max(0, Math.min(k, requested));
    this.step = step;
    this.prev.disabled = step === 0;
    this.next.disabled = step === k;
    const affine = m.affine !== undefined;
    const v = m.v ? 'v' : '1';
    if (step === 0) {
      this.status.textContent = `step 0 of ${k}: the forward pass is done; the backward pass starts from Δ${subscript(k + 1)} = ${v}`;
      const f =
        `f(X;W) = ${sym('S', k)} = ${texMatrix(m.trace.f, { sym: `S${k}` })},\\qquad ` +
        `${sym('D', k + 1)} = W_{${k + 1}}^T = ` +
        `${m.v ? `v = ${texMatrix(m.seed, { sym: `D${k + 1}` })}` : texMatrix(m.seed, { sym: `D${k + 1}` })}`;
      this.current.replaceChildren(texElement(f));
      this.history.replaceChildren(
        hint(
          `Press Next: Δ${subscript(k)} is computed from Δ${subscript(k + 1)} and Σ′${subscript(k)}, then ∇W${subscript(k)}.`,
        ),
      );
      return;
    }
    const i = k - step + 1;
    this.status.textContent = `step ${step} of ${k}: Δ${subscript(i)} and ∇W${subscript(i)}${i === 1 ? ' (the last step)' : ''}`;
    this.current.replaceChildren(texElement(stepTex(m, i, affine), true, 'tex step-tex'));
    const done: HTMLElement[] = [];
    for (let j = k; j > i; j--) {
      const line =
        `${sym('D', j)} = ${texMatrix(m.D.get(j), { sym: `D${j}` })},\\qquad ${sym('gradW', j)} = ` +
        `${texMatrix(m.gradW.get(j), { sym: `gradW${j}`, biasCol: affine })}`;
      done.push(texElement(line, true, 'tex step-done'));
    }
    if (done.length > 0)
      done.unshift(
        Object.assign(document.createElement('div'), {
          className: 'history-title',
          textContent: 'computed in the earlier steps',
        }),
      );
    if (affine) {
      done.push(
        hint(
          'Affine network (§3): the last column of ∇W_i (shaded) is the gradient with respect to the biases b_i. For i < k the last row of ∇W_i ' +
            'belongs to the formal neuron, whose row [0, …, 0, 1] of W_i is fixed: it is not a parameter, and training leaves it alone.',
        ),
      );
    }
    this.history.replaceChildren(...done);
  }
}

/** The aligned TeX of one step: the formula, then the numbers, then ∇_{W_i} f. */
export function stepTex(m: WorkedNetwork, i: number, affine: boolean): string {
  const k = m.net.k;
  const D = (j: number) => texMatrix(m.D.get(j), { sym: `D${j}` });
  const dS = texMatrix(m.trace.dS.get(i), { sym: `dS${i}` });
  const lines: string[] = [];
  if (i === k) {
    lines.push(`${deltaFormula(i, k)} &= ${D(k + 1)} \\circ ${dS}`);
  } else {
    const u = m.WtD.get(i); // W_{i+1}ᵀ·Δ_{i+1}, recorded by the recursion
    lines.push(
      `${deltaFormula(i, k)} &= \\left(${texMatrix(m.net.W.get(i + 1), { sym: `W${i + 1}`, t: true })} \\cdot ${D(i + 1)}\\right) \\circ ${dS}`,
    );
    lines.push(`&= ${texMatrix(u, { layer: i })} \\circ ${dS}`);
  }
  lines.push(`&= ${D(i)}`);
  lines.push(
    `${gradFormula(i)} &= ${D(i)} \\cdot ` +
      `${texMatrix(m.trace.S.get(i - 1), { sym: `S${i - 1}`, t: true })} = ` +
      `${texMatrix(m.gradW.get(i), { sym: `gradW${i}`, biasCol: affine })}`,
  );
  return `\\begin{aligned}${lines.join(' \\\\[0.6em] ')}\\end{aligned}`;
}

function hint(text: string): HTMLElement {
  return Object.assign(document.createElement('p'), { className: 'hint', textContent: text });
}
