/**
 * The words the captions use for the pointer: a phone or a tablet (a coarse pointer, a finger) taps where a mouse
 * hovers and clicks.
 */

/** Whether the main pointer is a finger. */
export function touchScreen(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}

/** "tap" on a touch screen, else "hover" (capitalised with `capital`). */
export function hoverWord(capital = false): string {
  const w = touchScreen() ? 'tap' : 'hover';
  return capital ? w[0]!.toUpperCase() + w.slice(1) : w;
}

/** "tap" on a touch screen, else "click" (capitalised with `capital`). */
export function clickWord(capital = false): string {
  const w = touchScreen() ? 'tap' : 'click';
  return capital ? w[0]!.toUpperCase() + w.slice(1) : w;
}
