/**
 * Small form helpers shared by the panels: a labelled field with its own error line (bad input is reported
 * next to the field that caused it), and setting a control's value without disturbing the user's typing.
 */

export interface FieldParts {
  row: HTMLElement;
  error: HTMLElement;
}

/**
 * <label>text control</label> followed by an error line with data-error-for="name". When `control` is a box of
 * several controls (a field, a select and a button), the box is a group named by the text instead, and each
 * control in it carries its own name (a label around them all would name the first one by all their texts).
 */
export function field(name: string, label: string, control: HTMLElement, hint?: string): FieldParts {
  const row = document.createElement('div');
  row.className = 'field';
  row.dataset.field = name;
  const single = /^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName);
  const lab = document.createElement(single ? 'label' : 'div');
  lab.className = 'field-label';
  const span = document.createElement('span');
  span.innerHTML = label;
  if (!single) {
    span.id = `field-label-${name}`;
    lab.setAttribute('role', 'group');
    lab.setAttribute('aria-labelledby', span.id);
  }
  lab.append(span, control);
  row.append(lab);
  if (hint) row.append(Object.assign(document.createElement('div'), { className: 'field-hint', textContent: hint }));
  const error = document.createElement('div');
  error.className = 'field-error';
  error.dataset.errorFor = name;
  error.setAttribute('role', 'alert');
  row.append(error);
  return { row, error };
}

/** Shows `message` (or nothing) in the error line and marks the control invalid. */
export function setError(parts: FieldParts, message: string | undefined): void {
  parts.error.textContent = message ?? '';
  parts.row.classList.toggle('has-error', message !== undefined);
}

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * Shows `value` in a control, except while the user is typing there and the state still holds what they typed
 * (`state`, as recorded by `typed`): then the cursor stays where it is. A change from elsewhere (a model file,
 * a button) replaces the text even in a focused field.
 */
export function setValue(input: Control, value: string, state = value): void {
  if (document.activeElement === input && input.dataset.typed === state) return;
  if (input.value !== value) input.value = value;
}

/** Records the state value the user's typing in `input` produced (see setValue). */
export function typed(input: Control, state: string): string {
  input.dataset.typed = state;
  return state;
}

export function input(
  attrs: {
    type?: string;
    id?: string;
    placeholder?: string;
    accept?: string;
    min?: string;
    max?: string;
    step?: string;
    checked?: boolean;
  } = {},
): HTMLInputElement {
  const el = document.createElement('input');
  el.type = attrs.type ?? 'text';
  el.spellcheck = false;
  for (const key of ['id', 'placeholder', 'accept', 'min', 'max', 'step'] as const) {
    const v = attrs[key];
    if (v !== undefined) el[key] = v;
  }
  if (attrs.checked !== undefined) el.checked = attrs.checked;
  return el;
}

/** A file picker that hands each chosen file to `onFile` (and clears itself, so the same file can be chosen again). */
export function filePicker(accept: string, id: string, onFile: (file: File) => void): HTMLInputElement {
  const el = input({ type: 'file', accept, id });
  el.addEventListener('change', () => {
    const file = el.files?.[0];
    if (file) onFile(file);
    el.value = '';
  });
  return el;
}

export function select(
  options: readonly (string | [value: string, label: string])[],
  value: string,
): HTMLSelectElement {
  const s = document.createElement('select');
  for (const o of options) {
    const [v, l] = typeof o === 'string' ? [o, o] : o;
    s.append(Object.assign(document.createElement('option'), { value: v, textContent: l }));
  }
  s.value = value;
  return s;
}

export function button(text: string, onClick: () => void, className = 'button'): HTMLButtonElement {
  const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, className });
  b.addEventListener('click', onClick);
  return b;
}

/** Offers `text` as a file download named `name`. */
export function downloadText(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
