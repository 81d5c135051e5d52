/**
 * Floating panels: the popover near a clicked element (the neuron's σ chooser, an edge's weight), and the instant
 * card over a diagram edge (TensorFlow Playground's weight card).
 */
import { fmt, subscript } from '../format.js';

/**
 * One floating panel near a clicked element. Closes on Escape, on a click outside it, or when `hide()` is called;
 * the keyboard focus then goes back to what opened it.
 */
export class Popover {
  /** What had the focus when the panel opened. */
  private opener: HTMLElement | SVGElement | undefined;

  constructor(private readonly el: HTMLElement) {
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.hide();
    });
    document.addEventListener('mousedown', (e) => {
      if (!this.el.hidden && !this.el.contains(e.target as Node)) this.hide();
    });
  }

  show(at: DOMRect, ...content: HTMLElement[]): void {
    const active = document.activeElement;
    if (!this.el.contains(active) && (active instanceof HTMLElement || active instanceof SVGElement))
      this.opener = active;
    this.el.replaceChildren(...content);
    this.el.hidden = false;
    const w = this.el.offsetWidth;
    this.el.style.left = `${Math.max(8, Math.min(window.scrollX + at.right + 8, window.scrollX + document.documentElement.clientWidth - w - 8))}px`;
    this.el.style.top = `${window.scrollY + at.top - 4}px`;
    this.el.querySelector<HTMLElement>('select, input, button')?.focus();
  }

  hide(): void {
    if (this.el.hidden) return;
    const inside = this.el.contains(document.activeElement) || document.activeElement === document.body;
    this.el.hidden = true;
    if (inside && this.opener?.isConnected) this.opener.focus();
    this.opener = undefined;
  }
}

/**
 * The card over a weight: pointing at a diagram edge, or focusing it from the keyboard, shows at once which entry
 * of which W_i it is and its value (a browser tooltip waits a second). It reads the edge's data attributes when
 * shown, so it needs no update while training changes the weights.
 */
export class WeightCard {
  private readonly el: HTMLElement;

  constructor(root: HTMLElement) {
    this.el = Object.assign(document.createElement('div'), { className: 'weight-card', id: 'weight-card' });
    this.el.hidden = true;
    this.el.setAttribute('aria-hidden', 'true'); // a focused edge's name already says all of it
    document.body.append(this.el);
    const edge = (t: EventTarget | null) => (t instanceof Element ? t.closest<SVGElement>('line.edge') : null);
    root.addEventListener('mouseover', (e) => {
      const line = edge(e.target);
      if (line) this.show(line, e.clientX, e.clientY);
    });
    root.addEventListener('mouseout', (e) => {
      if (edge(e.target)) this.hide();
    });
    root.addEventListener('focusin', (e) => {
      const line = edge(e.target);
      if (!line) return this.hide();
      const r = line.getBoundingClientRect();
      this.show(line, r.left + r.width / 2, r.top + r.height / 2);
    });
    root.addEventListener('focusout', () => this.hide());
  }

  private show(line: SVGElement, x: number, y: number): void {
    const d = line.dataset;
    const i = Number(d.sym?.slice(1));
    const bias = line.classList.contains('bias-edge') ? ' (bias)' : '';
    const edit = line.classList.contains('clickable') ? 'click to change' : '';
    this.el.textContent = `weight W${subscript(i)}[${Number(d.r) + 1}, ${Number(d.c) + 1}] = ${fmt(Number(d.value))}${bias}`;
    if (edit)
      this.el.append(
        Object.assign(document.createElement('span'), { className: 'weight-card-hint', textContent: edit }),
      );
    this.el.hidden = false;
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    this.el.style.left = `${Math.max(4, Math.min(x + 14, document.documentElement.clientWidth - w - 4))}px`;
    this.el.style.top = `${y + 18 + h > window.innerHeight ? y - h - 10 : y + 18}px`;
  }

  private hide(): void {
    this.el.hidden = true;
  }
}
