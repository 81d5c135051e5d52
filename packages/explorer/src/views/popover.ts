/**
 * One floating panel near a clicked element (the neuron's σ chooser). Closes on Escape, on a click outside
 * it, or when `hide()` is called; the keyboard focus then goes back to what opened it.
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
