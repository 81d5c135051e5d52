/** One row of `compareForms`: a form of the paper and how far its gradient is from the recursion's. */
import type { GradientForm } from '../grad/forms.js';
import type { Grads } from '../grad/types.js';

/** A form's gradient and its largest difference from the recursion of Remark 3. */
export interface FormComparison {
  /** The form. */
  form: GradientForm;
  /** Largest |∇_{W_i} f (form) − ∇_{W_i} f (recursion)| over all layers and entries. */
  maxDiff: number;
  /** The form's gradients. */
  grads: Grads;
}
