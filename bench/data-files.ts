/** Reading the files bench/run.ts writes for every library (Node): the data, the fixed order and the shared init. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataFiles, TaskSpec } from './common.js';

export function readF32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readI32(path: string): Int32Array {
  const b = readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function readData(dir: string): DataFiles {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { inputs: number; classes: number };
  return {
    inputs: meta.inputs,
    classes: meta.classes,
    trainX: readF32(join(dir, 'train_x.f32')),
    trainY: readI32(join(dir, 'train_y.i32')),
    order: readI32(join(dir, 'order.i32')),
    testX: readF32(join(dir, 'test_x.f32')),
    testY: readI32(join(dir, 'test_y.i32')),
  };
}

/** The shared initial weights of a task: W_i (out × in, row-major) for i = 1 … k. */
export function readInit(dir: string, task: TaskSpec): Float32Array[] {
  const all = readF32(join(dir, `init_${task.task}.f32`));
  const out: Float32Array[] = [];
  let off = 0;
  for (let i = 1; i < task.widths.length; i++) {
    const n = task.widths[i]! * task.widths[i - 1]!;
    out.push(all.subarray(off, off + n));
    off += n;
  }
  if (off !== all.length) throw new Error(`init_${task.task}.f32 holds ${all.length} floats, expected ${off}`);
  return out;
}
