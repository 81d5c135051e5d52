/**
 * The training view's control bar (TensorFlow Playground's top row): play / pause, one epoch, reset, the epoch
 * counter, why this network cannot learn the data (next to Train), and the hyperparameters: learning rate,
 * σ of the hidden layers, regularisation and its rate, the problem type, batch size and optimizer.
 */
import { optimizers, problems, regularizations, type State } from '../state.js';
import { button, select } from './field.js';

export interface TrainBarActions {
  update(patch: Partial<State>): void;
  play(): void;
  step(): void;
  reset(): void;
}

export interface TrainBar {
  root: HTMLElement;
  play: HTMLButtonElement;
  epoch: HTMLElement;
  lr: HTMLSelectElement;
  act: HTMLSelectElement;
  reg: HTMLSelectElement;
  rate: HTMLSelectElement;
  problem: HTMLSelectElement;
  batch: HTMLSelectElement;
  opt: HTMLSelectElement;
  /** Why the network cannot learn the data (beside the Train button). */
  why: HTMLElement;
  networkError: HTMLElement;
  trainError: HTMLElement;
}

export function trainBar(actions: TrainBarActions): TrainBar {
  const bar = document.createElement('div');
  bar.className = 'panel train-bar';
  const play = button('▶ Train', () => actions.play(), 'button primary');
  play.id = 'train-play';
  play.setAttribute('aria-keyshortcuts', 'Space');
  const step = button('Step', () => actions.step());
  step.id = 'train-step';
  step.title = 'train one epoch';
  const reset = button('↺ Reset', () => actions.reset());
  reset.id = 'train-reset';
  reset.title = 'back to the starting weights, epoch 0';
  const epoch = Object.assign(document.createElement('span'), {
    className: 'epoch',
    id: 'epoch',
    textContent: 'epoch 0',
  });
  const lr = select([], '');
  const act = select([], '');
  const reg = select(
    regularizations.map((r) => [r, r === 'none' ? 'none' : r.toUpperCase()] as [string, string]),
    'none',
  );
  const rate = select([], '');
  const problem = select(problems, 'classification');
  const batch = select([], '');
  const opt = select(optimizers, 'adam');
  lr.id = 'lr';
  act.id = 'train-act';
  reg.id = 'reg';
  rate.id = 'reg-rate';
  problem.id = 'problem';
  batch.id = 'batch';
  opt.id = 'optimizer';
  lr.addEventListener('change', () => actions.update({ lr: Number(lr.value) }));
  act.addEventListener('change', () => actions.update({ ta: act.value }));
  reg.addEventListener('change', () => actions.update({ reg: reg.value as State['reg'] }));
  rate.addEventListener('change', () => actions.update({ rate: Number(rate.value) }));
  problem.addEventListener('change', () => actions.update({ problem: problem.value as State['problem'] }));
  batch.addEventListener('change', () => actions.update({ batch: Number(batch.value) }));
  opt.addEventListener('change', () => actions.update({ opt: opt.value as State['opt'] }));
  const labelled = (text: string, c: HTMLElement) => {
    const l = document.createElement('label');
    l.className = 'bar-field';
    l.append(Object.assign(document.createElement('span'), { textContent: text }), c);
    return l;
  };
  const buttons = document.createElement('div');
  buttons.className = 'train-buttons';
  buttons.append(play, step, reset, epoch);
  const why = Object.assign(document.createElement('div'), { className: 'train-why', id: 'train-why' });
  why.setAttribute('role', 'status');
  const fields = document.createElement('div');
  fields.className = 'train-fields';
  fields.append(
    labelled('learning rate', lr),
    labelled('activation', act),
    labelled('regularization', reg),
    labelled('rate', rate),
    labelled('problem', problem),
    labelled('batch', batch),
    labelled('optimizer', opt),
  );
  const networkError = Object.assign(document.createElement('div'), {
    className: 'field-error',
    id: 'train-network-error',
  });
  const trainError = Object.assign(document.createElement('div'), { className: 'field-error', id: 'train-error' });
  bar.append(buttons, fields, why, networkError, trainError);
  return { root: bar, play, epoch, lr, act, reg, rate, problem, batch, opt, why, networkError, trainError };
}
