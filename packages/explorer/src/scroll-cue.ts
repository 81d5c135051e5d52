/**
 * A visible cue on the regions that scroll sideways (a step's formulas, a form's card, the matrices on a phone, the
 * Forms summary table):
 * their right edge fades while there is more to the right, and a line at their top says so. Run after each drawing
 * and on resize; a region's own scrolling updates its fade.
 */
import { touchScreen } from './pointer.js';

const SELECTOR = '.step-current, .form-card, .layers, .student-given-item, #forms-summary';
const watched = new WeakSet<HTMLElement>();

/** Marks each region of `root` that is wider than its box, and shows or hides the cue before it. */
export function updateScrollCues(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>(SELECTOR))) {
    if (el.offsetParent === null) continue; // not shown: measured when it is
    const over = el.scrollWidth > el.clientWidth + 1;
    el.classList.toggle('scrolls-x', over);
    markEnd(el);
    if (!watched.has(el)) {
      watched.add(el);
      el.addEventListener('scroll', () => markEnd(el), { passive: true });
    }
    // the cue inside the region, held at its left edge (position: sticky) while the region scrolls
    const first = el.firstElementChild;
    let cue = first instanceof HTMLElement && first.classList.contains('scroll-cue') ? first : undefined;
    if (over && !cue) {
      cue = Object.assign(document.createElement('div'), { className: 'scroll-cue' });
      cue.setAttribute('aria-hidden', 'true');
      el.prepend(cue);
    }
    if (cue) {
      cue.hidden = !over;
      cue.textContent = `${touchScreen() ? 'swipe' : 'scroll'} sideways for the rest →`;
    }
  }
}

function markEnd(el: HTMLElement): void {
  el.classList.toggle('at-end', el.scrollLeft + el.clientWidth >= el.scrollWidth - 2);
}
