/**
 * The page's side of the training run: starts the worker (worker.ts) on the first visit to the Training view,
 * turns changes of the state into its messages (protocol.ts), and keeps what the worker reported last (the
 * data and network it set up, the latest progress, whether it runs). The one owner of the run's state on the page.
 */
import type { State } from '../state.js';
import type { FromWorker, Hyper, Progress, Ready, ToWorker, TrainConfig } from './protocol.js';

export interface RunEvents {
  /** Something the views draw changed (ready, progress, running). */
  changed(): void;
  /** A new run was asked for (its curves start again). */
  configured(): void;
  /** One progress message (each is a point of the loss curves). */
  progress(p: Progress): void;
  /** A message for the field it is about (the data, the network, or the training itself); undefined clears them. */
  error(field: 'data' | 'network' | 'train' | undefined, message: string): void;
  /** The trained model file, to download. */
  model(text: string): void;
}

/** State keys that set up a new run (data, network), and those the running one takes as they come. */
const configKeys: ReadonlySet<keyof State> = new Set([
  'th',
  'ta',
  'tb',
  'custom',
  'seed',
  'init',
  'feat',
  'data',
  'noise',
  'count',
  'split',
  'dseed',
  'problem',
]);
const hyperKeys: ReadonlySet<keyof State> = new Set(['lr', 'batch', 'opt', 'reg', 'rate']);

export class TrainingRun {
  #worker: Worker | undefined;
  #state: Readonly<State> | undefined;
  #csv: { name: string; text: string } | undefined;
  /** What the worker set up, its latest results, and whether it trains. */
  ready: Ready | undefined;
  last: Progress | undefined;
  running = false;

  constructor(private readonly events: RunEvents) {}

  /** Passes on what changed; the worker starts on the first visit to the Training view. */
  sync(s: Readonly<State>, changed: ReadonlySet<keyof State> | 'all'): void {
    this.#state = s;
    if (s.tab !== 'train' && !this.#worker) return;
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
      this.#worker.onmessage = (e: MessageEvent<FromWorker>) => this.#receive(e.data);
      this.#worker.onerror = (e) => this.events.error('train', `the training worker failed: ${e.message}`);
      this.configure();
      return;
    }
    const c = changed === 'all' ? configKeys : changed;
    if ([...c].some((k) => configKeys.has(k))) this.configure();
    else if ([...c].some((k) => hyperKeys.has(k))) this.#send({ type: 'hyper', hyper: hyperOf(s) });
  }

  /** A new run from the state (and the CSV file, when the state names one). */
  configure(): void {
    const s = this.#state;
    if (!s) return;
    this.running = false;
    this.ready = undefined;
    this.last = undefined;
    this.events.configured();
    this.events.error(undefined, '');
    if (s.data === 'csv' && !this.#csv) {
      this.events.error('data', 'choose or drop a CSV file (files are not part of the link; the other data sets are)');
      this.events.changed();
      return;
    }
    const csv = this.#csv;
    const config: TrainConfig = {
      network: { hidden: s.th, act: s.ta, biases: s.tb, seed: s.seed, init: s.init, custom: [...s.custom] },
      features: s.feat,
      data:
        s.data === 'csv' && csv
          ? { kind: 'csv', name: csv.name, text: csv.text, task: s.problem }
          : {
              kind: 'synthetic',
              name: s.data as Exclude<State['data'], 'csv'>,
              noise: s.noise,
              count: s.count,
              seed: s.dseed,
            },
      split: s.split,
      hyper: hyperOf(s),
    };
    this.#send({ type: 'configure', config });
    this.events.changed();
  }

  /** A CSV file read by the page; true when the state already names the CSV data set (the run starts on it). */
  useCsv(name: string, text: string): boolean {
    this.#csv = { name, text };
    if (this.#state?.data !== 'csv') return false;
    this.configure();
    return true;
  }

  playOrPause(): void {
    this.#send({ type: this.running ? 'pause' : 'play' });
  }

  step(): void {
    this.#send({ type: 'step' });
  }

  reset(): void {
    this.#send({ type: 'reset' });
  }

  exportModel(): void {
    this.#send({ type: 'export' });
  }

  /** Sets one weight of the network being trained (homogeneous indices, from 0; i from 1). */
  setWeight(i: number, r: number, c: number, value: number): void {
    this.#send({ type: 'setWeight', i, r, c, value });
  }

  #send(m: ToWorker): void {
    this.#worker?.postMessage(m);
  }

  #receive(m: FromWorker): void {
    switch (m.type) {
      case 'ready':
        this.ready = m;
        break;
      case 'progress':
        this.last = m;
        this.running = m.running;
        this.events.progress(m);
        break;
      case 'state':
        this.running = m.running;
        break;
      case 'error':
        this.events.error(m.field, m.message);
        this.running = false;
        break;
      case 'model':
        this.events.model(m.text);
        return;
    }
    this.events.changed();
  }
}

function hyperOf(s: Readonly<State>): Hyper {
  return { lr: s.lr, batch: s.batch, opt: s.opt, reg: s.reg, rate: s.rate };
}
