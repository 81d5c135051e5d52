/** The training playground's control bar: play / pause, one epoch, reset, the epoch counter and the hyperparameters. */
import { optimizers, type State } from '../state.js';
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
  batch: HTMLSelectElement;
  opt: HTMLSelectElement;
  l2: HTMLSelectElement;
  status: HTMLElement;
  networkError: HTMLElement;
  trainError: HTMLElement;
}

export function trainBar(actions: TrainBarActions): TrainBar {
  const bar = document.createElement('div');
  bar.className = 'panel train-bar';
  const play = button('▶ Train', () => actions.play(), 'button primary');
  play.id = 'train-play';
  const step = button('Step (1 epoch)', () => actions.step());
  step.id = 'train-step';
  const reset = button('↺ Reset', () => actions.reset());
  reset.id = 'train-reset';
  const epoch = Object.assign(document.createElement('span'), { className: 'epoch', id: 'epoch', textContent: 'epoch 0' });
  const lr = select([], '');
  const batch = select([], '');
  const opt = select(optimizers, 'adam');
  const l2 = select([], '');
  lr.id = 'lr';
  batch.id = 'batch';
  opt.id = 'optimizer';
  l2.id = 'l2';
  lr.addEventListener('change', () => actions.update({ lr: Number(lr.value) }));
  batch.addEventListener('change', () => actions.update({ batch: Number(batch.value) }));
  opt.addEventListener('change', () => actions.update({ opt: opt.value as State['opt'] }));
  l2.addEventListener('change', () => actions.update({ l2: Number(l2.value) }));
  const labelled = (text: string, c: HTMLElement) => {
    const l = document.createElement('label');
    l.className = 'bar-field';
    l.append(Object.assign(document.createElement('span'), { textContent: text }), c);
    return l;
  };
  bar.append(play, step, reset, epoch, labelled('learning rate', lr), labelled('batch size', batch), labelled('optimizer', opt), labelled('L2 (weight decay)', l2));
  const status = Object.assign(document.createElement('div'), { className: 'train-status', id: 'train-status' });
  const networkError = Object.assign(document.createElement('div'), { className: 'field-error', id: 'train-network-error' });
  const trainError = Object.assign(document.createElement('div'), { className: 'field-error', id: 'train-error' });
  bar.append(networkError, trainError);
  return { root: bar, play, epoch, lr, batch, opt, l2, status, networkError, trainError };
}
