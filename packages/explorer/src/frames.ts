/**
 * The frame scheduler: however many results arrive, the page redraws at most once per animation frame, and not
 * at all while its view is hidden (it then draws once when shown). A drawing that has more to do (one part per
 * frame) returns true and gets the next frame.
 */
export class FrameScheduler {
  #frame = 0;
  #dirty = false;

  constructor(
    private readonly visible: () => boolean,
    private readonly draw: (full: boolean) => boolean,
  ) {}

  /** Draws at the next animation frame (once, however often it is asked), or when the view is shown again. */
  request(): void {
    if (!this.visible()) {
      this.#dirty = true;
      return;
    }
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      if (!this.visible()) {
        this.#dirty = true;
        return;
      }
      const full = this.#dirty;
      this.#dirty = false;
      if (this.draw(full)) this.request();
    });
  }

  /** Everything is to be drawn again (the window was resized), at the next frame. */
  invalidate(): void {
    this.#dirty = true;
    this.request();
  }

  /** Draws what arrived while the view was hidden (called when it is shown). */
  shown(): void {
    if (this.#dirty) this.request();
  }
}
