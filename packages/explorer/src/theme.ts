/**
 * The theme's colour pairs: which token of style.css is drawn on which, and what WCAG 2.2 asks of the pair
 * ("text" 4.5:1, "large" text 3:1, "ui" 3:1 for focus rings, highlight rings and the edges of boxes that carry
 * meaning). test/explorer-theme.test.ts reads the tokens' light and dark values from style.css and checks every pair.
 */
export type ContrastKind = 'text' | 'large' | 'ui';

export interface ContrastPair {
  /** The token drawn on top (text, ring or edge), without the leading "--". */
  fg: string;
  /** The token it is drawn on. */
  bg: string;
  kind: ContrastKind;
  /** Where the pair appears. */
  where: string;
}

const pair = (fg: string, bg: string, kind: ContrastKind, where: string): ContrastPair => ({ fg, bg, kind, where });

export const contrastPairs: readonly ContrastPair[] = [
  pair('ink', 'bg', 'text', 'page text'),
  pair('ink', 'panel', 'text', 'panel text, formulas, matrices'),
  pair('ink', 'field', 'text', 'typed entries and fields'),
  pair('ink', 'soft', 'text', 'buttons'),
  pair('ink', 'soft-hover', 'text', 'buttons under the pointer'),
  pair('ink', 'step-bg', 'text', 'the current step’s formulas'),
  pair('ink', 'card-bg', 'text', 'the “Your turn” cards'),
  pair('muted', 'bg', 'text', 'captions on the page'),
  pair('muted', 'panel', 'text', 'hints, captions, diagram labels'),
  pair('muted', 'soft', 'text', 'hints on buttons'),
  pair('muted', 'step-bg', 'text', 'notes in the current step'),
  pair('muted', 'card-bg', 'text', 'shape notes in the cards'),
  pair('on-accent', 'accent', 'text', 'primary and active buttons'),
  pair('on-accent', 'accent-hover', 'text', 'active buttons under the pointer'),
  pair('on-accent', 'running', 'text', 'the Train button while training'),
  pair('on-accent', 'running-hover', 'text', 'the Train button while training, under the pointer'),
  pair('ink', 'accent-bg', 'text', 'the chosen data set'),
  pair('ink', 'hl', 'text', 'the hovered entry or symbol'),
  pair('ink', 'hl2', 'text', 'related factors inside formulas'),
  pair('hl-text', 'panel', 'text', 'highlighted diagram labels'),
  pair('ink', 'bias-bg', 'text', 'the bias “1” boxes and bias entries'),
  pair('formal-ink', 'panel', 'text', 'the formal row of ones'),
  pair('delta', 'panel', 'text', 'the Δ labels in the diagram'),
  pair('ok', 'panel', 'text', 'right answers'),
  pair('ok', 'card-bg', 'text', 'the link note'),
  pair('ok', 'ok-bg', 'text', 'a right card’s status'),
  pair('ink', 'ok-bg', 'text', 'a right card, a right entry'),
  pair('error', 'panel', 'text', 'field errors'),
  pair('error', 'card-bg', 'text', 'a wrong card’s status'),
  pair('error', 'error-bg', 'text', 'errors on a wrong entry'),
  pair('ink', 'error-bg', 'text', 'a wrong entry, a wrong factor, a bad field'),
  pair('warn-ink', 'warn-bg', 'text', 'why training cannot learn'),
  pair('ink', 'warn-bg', 'text', 'notices, malformed entries'),
  pair('head-ink', 'head-bg', 'text', 'the header'),
  pair('head-muted', 'head-bg', 'text', 'the subtitle'),
  pair('head-button-ink', 'head-bg', 'text', 'the view tabs'),
  pair('head-button-ink', 'head-button', 'text', 'the header buttons'),
  pair('head-active-ink', 'head-active', 'text', 'the chosen tab'),
  pair('head-active', 'head-bg', 'large', 'the ∇ logo'),
  pair('focus', 'panel', 'ui', 'the focus ring in a panel, and inside a focused weight entry'),
  pair('focus', 'bg', 'ui', 'the focus ring on the page'),
  pair('focus', 'card-bg', 'ui', 'the focus ring in a card'),
  pair('head-focus', 'head-bg', 'ui', 'the focus ring in the header'),
  pair('hl-ring', 'panel', 'ui', 'the highlight ring'),
  pair('hl-ring', 'step-bg', 'ui', 'the highlight ring in the current step'),
  pair('hl-ring', 'card-bg', 'ui', 'the highlight ring in a card'),
  pair('bias-line', 'panel', 'ui', 'the edge of a bias box'),
  pair('field-line', 'field', 'ui', 'the edge of an entry'),
  pair('field-line', 'card-bg', 'ui', 'the edge of an entry in a card'),
  pair('accent', 'panel', 'ui', 'the chosen data set’s frame, an editable entry under the pointer'),
  pair('current', 'panel', 'ui', 'the current neuron'),
  pair('ok', 'card-bg', 'ui', 'a right card’s or entry’s edge'),
  pair('error', 'card-bg', 'ui', 'a wrong card’s or entry’s edge'),
  pair('warn-strong', 'card-bg', 'ui', 'a malformed entry’s edge'),
];
