/**
 * The messages between the page and the training worker (worker.ts). Plain data only: the worker rebuilds
 * the network from the same state fields the page uses (model.ts buildNetwork), custom activations from
 * their formulas.
 */
import type { State } from './state.js';

/** What the worker needs to build the network and the data. */
export interface TrainConfig {
  network: Pick<State, 'widths' | 'act' | 'affine' | 'seed' | 'init' | 'w' | 'custom'>;
  data: { kind: 'synthetic'; name: Exclude<State['data'], 'csv'>; noise: number; count: number } | { kind: 'csv'; name: string; text: string };
  split: number;
  hyper: Hyper;
}

export interface Hyper {
  lr: number;
  batch: number;
  opt: State['opt'];
  l2: number;
}

export type ToWorker =
  | { type: 'configure'; config: TrainConfig }
  | { type: 'hyper'; hyper: Hyper }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  | { type: 'export' };

/** The square of the input plane the maps cover, and its resolution. */
export interface Grid {
  size: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The network's output over the grid: P(class 1) for two classes, else the winning class and its probability. */
export type OutputMap = { kind: 'binary'; p: Float32Array } | { kind: 'classes'; cls: Uint8Array; conf: Float32Array; classes: number } | { kind: 'none' };

export interface Ready {
  type: 'ready';
  /** The network is the homogeneous form of an affine one (paper §3). */
  affine: boolean;
  /** Which kernels train: WebAssembly SIMD, or the reference kernels and why. */
  kernels: string;
  loss: string;
  lossWhy: string;
  /** 2-D points (sample-major x1, x2) when the data have two features. */
  points: Float32Array | undefined;
  labels: Int32Array | undefined;
  /** 1 for training samples, 0 for test samples. */
  isTrain: Uint8Array;
  classes: number;
  grid: Grid | undefined;
  summary: string;
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
  | { type: 'error'; field: 'data' | 'network' | 'train'; message: string; fix?: { widths: string } }
  | { type: 'model'; text: string };
