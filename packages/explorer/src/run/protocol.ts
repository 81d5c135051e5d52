/**
 * The messages between the page and the training worker (worker.ts). Plain data only: the worker builds the
 * network from the same state fields the page shows (the hidden widths, σ, biases, seed), custom activations
 * from their formulas.
 */
import type { Problem, RegularizationChoice, State } from '../state.js';

/** The training network as the Training view describes it; n_0 and n_k follow from the features and the data. */
export interface TrainNetwork {
  hidden: string;
  act: string;
  biases: boolean;
  seed: number;
  init: State['init'];
  custom: string[];
}

/** What the worker needs to build the network and the data. */
export interface TrainConfig {
  network: TrainNetwork;
  /** The features (state `feat`); a CSV file's columns are used as they are. */
  features: string;
  data:
    | { kind: 'synthetic'; name: Exclude<State['data'], 'csv'>; noise: number; count: number; seed: number }
    | { kind: 'csv'; name: string; text: string; task: Problem };
  split: number;
  hyper: Hyper;
}

export interface Hyper {
  lr: number;
  batch: number;
  opt: State['opt'];
  reg: RegularizationChoice;
  rate: number;
}

export type ToWorker =
  | { type: 'configure'; config: TrainConfig }
  | { type: 'hyper'; hyper: Hyper }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'export' }
  /** Sets one weight of the network being trained (homogeneous indices, from 0; i from 1). */
  | { type: 'setWeight'; i: number; r: number; c: number; value: number };

/** The square of the input plane the maps cover, and its resolution. */
export interface Grid {
  size: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * The network's output over the grid: P(class 1) for two classes, the winning class and its probability for
 * more, f itself for regression (drawn on the symmetric scale ±scale, the largest |target|).
 */
export type OutputMap =
  | { kind: 'binary'; p: Float32Array }
  | { kind: 'classes'; cls: Uint8Array; conf: Float32Array; classes: number }
  | { kind: 'regression'; f: Float32Array; scale: number }
  | { kind: 'none' };

export interface Ready {
  type: 'ready';
  /** The network is the homogeneous form of an affine one (paper §3). */
  affine: boolean;
  /** Genuine widths m_0 … m_k (n without biases) and σ per layer 1 … k (one name per genuine neuron). */
  widths: number[];
  acts: string[][];
  /** The names of the inputs (the features, or the CSV columns). */
  inputs: string[];
  /** Which kernels train: WebAssembly SIMD, or the reference kernels and why. */
  kernels: string;
  loss: string;
  lossWhy: string;
  task: Problem;
  /** 2-D points (sample-major x1, x2) when the data are points of the plane. */
  points: Float32Array | undefined;
  labels: Int32Array | undefined;
  /** Regression targets (one per sample). */
  targets: Float32Array | undefined;
  /** The largest |target| (the colour scale of regression). */
  scale: number;
  /** 1 for training samples, 0 for test samples. */
  isTrain: Uint8Array;
  classes: number;
  grid: Grid | undefined;
  summary: string;
  /** The first training sample's inputs (for "show these weights in Forward & backward"). */
  sample: number[];
}

export interface Progress {
  type: 'progress';
  epoch: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number | undefined;
  testAccuracy: number | undefined;
  running: boolean;
  /** Current weights: W_1 … W_k of the homogeneous network, as rows. */
  W: number[][][];
  output: OutputMap;
  /** Σ_i over the grid for every neuron (key "i:j", layer 0 = the inputs). */
  neurons: Record<string, Float32Array>;
}

export type FromWorker =
  | Ready
  | Progress
  | { type: 'state'; running: boolean }
  | { type: 'error'; field: 'data' | 'network' | 'train'; message: string }
  | { type: 'model'; text: string };
