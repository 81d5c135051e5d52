// `nabla export` and `nabla import`, run in-process through main(): the files they write, one line on stderr and
// exit 1 for what is refused, no half-written output, and the imported PyTorch model at work in grad, explain
// and train --model (its outputs checked against PyTorch's, recorded in test/fixtures/onnx).
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from './helpers/cli.js';
import { expectClose } from './helpers/close.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'onnx');
let dir: string;
const torch = JSON.parse(await readFile(join(fixtures, 'relu-op17.json'), 'utf8')) as { x: number[][]; y: number[][] };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-cli-onnx-'));
  for (const f of ['relu-op17.onnx', 'softmax-middle.onnx']) await copyFile(join(fixtures, f), join(dir, f));
  await writeFile(join(dir, 'x.json'), JSON.stringify(torch.x[0]));
  await writeFile(join(dir, 'v.json'), JSON.stringify([1, 1]));
  const bytes = await readFile(join(fixtures, 'relu-op17.onnx'));
  await writeFile(join(dir, 'cut.onnx'), bytes.subarray(0, bytes.length - 9));
  const rows = Array.from({ length: 40 }, (_, s) => [Math.sin(s), Math.cos(3 * s), ((s * 7) % 11) / 11 - 0.5]);
  await writeFile(
    join(dir, 'data.csv'),
    `a,b,c,label\n${rows.map((r) => `${r.join(',')},${r[0]! + r[1]! > 0 ? 'up' : 'down'}`).join('\n')}\n`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const { run, ok } = cliIn(() => dir);

/** Exit 1 with exactly one line on stderr. */
async function refused(...args: string[]): Promise<string> {
  const r = await run(...args);
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  return r.stderr.trimEnd();
}

describe('nabla import / nabla export', () => {
  it("imports a PyTorch file, reports what it read, and grad on it gives PyTorch's outputs", async () => {
    expect(await ok('import', '--from', 'relu-op17.onnx', '--out', 'relu.json')).toBe(
      'wrote relu.json: m = [3, 5, 2] (affine), Σ_1 = relu, Σ_2 = identity, float32\n',
    );
    for (const model of ['relu.json', 'relu-op17.onnx']) {
      const g = JSON.parse(await ok('grad', '--model', model, '--input', 'x.json', '--delta', 'v.json', '--json')) as {
        f: number[][];
      };
      expectClose([g.f.map((r) => r[0]!)], [torch.y[0]!], { rtol: 1e-5, atol: 1e-6, label: `f of ${model}` });
    }
  });

  it('without --out prints the model file', async () => {
    const text = await ok('import', '--from', 'relu-op17.onnx');
    expect(text).toBe(await readFile(join(dir, 'relu.json'), 'utf8'));
  });

  it('explain and train --model work on the imported model', async () => {
    const doc = await ok('explain', '--model', 'relu.json', '--input', 'x.json', '--delta', 'v.json');
    expect(doc).toContain('\\nabla_{W_{1}} f');
    const out = await ok(
      'train',
      '--model',
      'relu.json',
      '--data',
      join(dir, 'data.csv'),
      '--epochs',
      '3',
      '--out',
      'tuned.json',
      '--loss',
      'softmax-ce',
      '--no-save-optimizer',
    );
    expect(out).toContain('tuned.json');
    const tuned = JSON.parse(await readFile(join(dir, 'tuned.json'), 'utf8')) as {
      widths: number[];
      classes: string[];
    };
    expect(tuned.widths).toEqual([3, 5, 2]);
    expect(tuned.classes).toEqual(['down', 'up']);
  });

  it('export then import gives back the identical model file; the class labels travel in the metadata', async () => {
    const line = await ok('export', '--model', 'tuned.json', '--format', 'onnx', '--out', 'tuned.onnx');
    expect(line).toMatch(
      /^wrote tuned\.onnx: ONNX opset 17, m = \[3, 5, 2\] \(affine\), float32, input "x" \[batch, 3\] → output "y"; classes \["down","up"\], loss softmax-ce/,
    );
    await ok('import', '--from', 'tuned.onnx', '--out', 'back.json');
    const before = JSON.parse(await readFile(join(dir, 'tuned.json'), 'utf8')) as Record<string, unknown>;
    // the optimizer state is not exported (train leaves it out of the file with --no-save-optimizer)
    expect(before.optimizer).toBeUndefined();
    expect(await readFile(join(dir, 'back.json'), 'utf8')).toBe(await readFile(join(dir, 'tuned.json'), 'utf8'));
  });

  it('export --probabilities ends the graph with the Softmax of the loss; import names what to give it instead', async () => {
    const line = await ok('export', '--model', 'tuned.json', '--out', 'p.onnx', '--probabilities');
    expect(line).toMatch(/→ output "y" \(probabilities: Softmax\); classes \["down","up"\], loss softmax-ce/);
    expect(await refused('import', '--from', 'p.onnx', '--out', 'p.json')).toBe(
      "nabla import: p.onnx: nabla exported this graph with output 'probabilities' (a last " +
        'Softmax or Sigmoid, for inference); import the file exported without it, whose output is ' +
        "the network's f",
    );
    const r = await run('export', '--model', 'relu.json', '--out', 'p2.onnx', '--probabilities');
    expect(r.status).toBe(2); // a usage error: the option does not fit the model
    expect(r.stderr).toMatch(
      /^nabla export: output 'probabilities': the model's loss is not set.*export it without the option\n$/,
    );
  });

  it('a polynomial activation is exported with --poly and comes back under its name', async () => {
    await writeFile(
      join(dir, 'cubic.json'),
      JSON.stringify({
        widths: [2, 2, 1],
        layers: [
          {
            W: [
              [0.5, -1],
              [0.25, 2],
            ],
            activation: ['cubic', 'tanh'],
          },
          { W: [[1, -0.5]], activation: 'identity' },
        ],
      }),
    );
    expect(await refused('export', '--model', 'cubic.json', '--out', 'cubic.onnx')).toMatch(
      /^nabla export: cubic\.json: layers\[0\]\.activation.*unknown activation "cubic"/,
    );
    await ok('export', '--model', 'cubic.json', '--out', 'cubic.onnx', '--poly', 'cubic=x^3 - x');
    expect(await ok('import', '--from', 'cubic.onnx', '--out', 'cubic-back.json')).toMatch(
      /^wrote cubic-back\.json: n = \[2, 2, 1\] \(homogeneous\), Σ_1 = \[cubic, tanh\], Σ_2 = identity, float64; polynomial activations cubic: /,
    );
  });

  it('refuses an unsupported operator, a truncated file, a non-ONNX file and a missing file: one line, exit 1, nothing written', async () => {
    await writeFile(join(dir, 'keep.json'), 'old contents\n');
    expect(await refused('import', '--from', 'softmax-middle.onnx', '--out', 'keep.json')).toMatch(
      /^nabla import: softmax-middle\.onnx: operator Softmax \(node "\/1\/Softmax"\): it couples the neurons of a layer/,
    );
    expect(await refused('import', '--from', 'cut.onnx', '--out', 'keep.json')).toMatch(
      /^nabla import: cut\.onnx: not a readable ONNX model \(the protobuf reader stopped: .*\); the file may be truncated or of another kind$/,
    );
    expect(await refused('import', '--from', 'relu.json', '--out', 'keep.json')).toMatch(
      /^nabla import: relu\.json: not an ONNX model: the file is text starting with "\{"/,
    );
    expect(await refused('import', '--from', 'nothing.onnx', '--out', 'keep.json')).toBe(
      'nabla import: nothing.onnx: no such file',
    );
    expect(await readFile(join(dir, 'keep.json'), 'utf8')).toBe('old contents\n');
  });

  it('export refuses a missing model and an unknown format without touching --out', async () => {
    await writeFile(join(dir, 'keep.onnx'), 'old');
    expect(await refused('export', '--model', 'missing.json', '--out', 'keep.onnx')).toBe(
      'nabla export: missing.json: no such file',
    );
    const r = await run('export', '--model', 'relu.json', '--format', 'pmml', '--out', 'keep.onnx');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^nabla export: option '--format <format>' argument 'pmml' is invalid\. Allowed choices are onnx\.\n$/,
    );
    expect(await readFile(join(dir, 'keep.onnx'), 'utf8')).toBe('old');
  });
});
