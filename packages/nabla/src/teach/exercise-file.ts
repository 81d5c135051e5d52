/**
 * Reading exercises.json back (format "nabla-exercises", version 1). Every problem is a DataError naming the
 * file, the exercise and the field; the stored answers must follow from the stored network and input (so an
 * edited file is caught instead of grading against wrong answers).
 */
import { DataError, LimitError, listExcerpt, NablaError } from '../errors.js';
import { RMatrix } from '../exact/matrix.js';
import { parseRational, type Rational } from '../exact/rational.js';
import { describeValue, jsonErrorText, parseJson } from '../io/json.js';
import { checkWidths } from '../net/network.js';
import { MAX_EXERCISE_COUNT, MAX_EXERCISE_LAYERS, MAX_EXERCISE_WIDTH } from './exercise-generate.js';
import {
  type Ask,
  activationRegistry,
  answerOf,
  askName,
  askShape,
  askSymbol,
  askValid,
  type Exercise,
  type ExerciseForm,
  type ExerciseKind,
  type ExerciseSet,
  exerciseForms,
  exerciseKinds,
  parseAskName,
  solve,
} from './exercise-types.js';
import { CLASS_FORMAT, EXERCISE_FORMAT, EXERCISE_FORMAT_VERSION } from './exercises.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A matrix of exact entries (strings like "3/4" or numbers), rows × cols. */
function matrixFrom(value: unknown, where: string, rows: number, cols: number): RMatrix {
  if (!Array.isArray(value) || !value.every(Array.isArray))
    throw new DataError(`${where}: expected a matrix (an array of ${rows} rows), found ${describeValue(value)}`);
  if (value.length !== rows)
    throw new DataError(`${where}: expected ${rows} row${rows === 1 ? '' : 's'}, found ${value.length}`);
  const data: Rational[] = [];
  (value as unknown[][]).forEach((row, r) => {
    if (row.length !== cols) throw new DataError(`${where}: row ${r + 1} has ${row.length} entries, expected ${cols}`);
    row.forEach((x, c) => {
      const q =
        typeof x === 'string'
          ? parseRational(x)
          : typeof x === 'number' && Number.isFinite(x)
            ? parseRational(String(x))
            : undefined;
      if (q === undefined)
        throw new DataError(
          `${where}, row ${r + 1}, column ${c + 1}: expected an exact number like "3/4", found ${describeValue(x)}`,
        );
      data.push(q);
    });
  });
  return new RMatrix(rows, cols, data);
}

function exerciseFrom(
  value: unknown,
  j: number,
  source: string,
  seen: Set<number>,
  registryNames: Set<string>,
): Exercise {
  const at = `${source}: exercises[${j}]`;
  if (!isObj(value)) throw new DataError(`${at}: expected an object, found ${describeValue(value)}`);
  const id = value.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1)
    throw new DataError(`${at}.id: expected a whole number ≥ 1, found ${describeValue(id)}`);
  if (seen.has(id)) throw new DataError(`${at}.id: exercise ${id} appears twice`);
  seen.add(id);
  const where = `${source}: exercise ${id}`;
  const kind = value.kind;
  if (typeof kind !== 'string' || !exerciseKinds.includes(kind as ExerciseKind))
    throw new DataError(`${where}: kind: expected ${exerciseKinds.join(', ')}, found ${describeValue(kind)}`);
  const widths = value.widths;
  if (!Array.isArray(widths) || !widths.every((w) => typeof w === 'number'))
    throw new DataError(`${where}: widths: expected an array of whole numbers, found ${describeValue(widths)}`);
  try {
    checkWidths(widths as number[]);
  } catch (e) {
    if (e instanceof NablaError) throw new DataError(`${where}: ${e.message}`);
    throw e;
  }
  const n = widths as number[];
  const k = n.length - 1;
  if (k > MAX_EXERCISE_LAYERS || n.some((w) => w > MAX_EXERCISE_WIDTH)) {
    throw new LimitError(
      `${where}: widths ${listExcerpt(n)}: an exercise has at most ${MAX_EXERCISE_LAYERS} ` +
        `layers and widths up to ${MAX_EXERCISE_WIDTH} (limits.exerciseLayers, ` +
        'limits.exerciseWidth)',
    );
  }
  const acts = value.activations;
  if (!Array.isArray(acts) || acts.length !== k)
    throw new DataError(`${where}: activations: expected ${k} entries (one per layer), found ${describeValue(acts)}`);
  const activations = acts.map((a: unknown, l) => {
    const col = typeof a === 'string' ? new Array<string>(n[l + 1]!).fill(a) : a;
    if (!Array.isArray(col) || col.length !== n[l + 1] || !col.every((x) => typeof x === 'string')) {
      throw new DataError(
        `${where}: activations[${l}]: expected a name or ${n[l + 1]} names (one per neuron of layer ${l + 1}), found ${describeValue(a)}`,
      );
    }
    for (const name of col as string[])
      if (!registryNames.has(name))
        throw new DataError(
          `${where}: activations[${l}]: "${name}" is not an exact activation (${[...registryNames].join(', ')})`,
        );
    return col as string[];
  });
  if (!isObj(value.W))
    throw new DataError(`${where}: W: expected {"1": [[…]], …, "${k}": [[…]]}, found ${describeValue(value.W)}`);
  const Wobj = value.W;
  const W = Array.from({ length: k }, (_, l) =>
    matrixFrom(Wobj[String(l + 1)], `${where}: W_${l + 1}`, n[l + 1]!, n[l]!),
  );
  const X = matrixFrom(value.X, `${where}: X`, n[0]!, 1);
  if (!Array.isArray(value.asks) || value.asks.length === 0)
    throw new DataError(
      `${where}: asks: expected a non-empty array like ["D_2", "gradW_1"], found ${describeValue(value.asks)}`,
    );
  const asks: Ask[] = value.asks.map((s: unknown) => {
    const a = typeof s === 'string' ? parseAskName(s) : undefined;
    if (!a || !askValid(a, n))
      throw new DataError(
        `${where}: asks: ${describeValue(s)} is not an answer of this network (f, N_i, S_i, dS_i, D_i, gradW_i with 1 ≤ i ≤ ${k})`,
      );
    return a;
  });
  const ex: Exercise = { id, kind: kind as ExerciseKind, widths: n, activations, W, X, asks };
  if (kind === 'form') {
    if (typeof value.form !== 'string' || !exerciseForms.includes(value.form as ExerciseForm)) {
      throw new DataError(`${where}: form: expected ${exerciseForms.join(', ')}, found ${describeValue(value.form)}`);
    }
    ex.form = value.form as ExerciseForm;
    const layer = value.layer ?? 1;
    if (typeof layer !== 'number' || !Number.isInteger(layer) || layer < 1 || layer > k)
      throw new DataError(`${where}: layer: expected a whole number from 1 to ${k}, found ${describeValue(layer)}`);
    ex.layer = layer;
  }
  return ex;
}

/** Reads and checks an exercise file (see `exercisesToJson`). */
export function parseExerciseFile(text: string, source: string): ExerciseSet {
  if (text.trim() === '')
    throw new DataError(`${source}: the file is empty; expected an exercise file written by nabla exercise`);
  const json = parseJson(text);
  if (!json.ok)
    throw new DataError(
      `${source}: not an exercise file (${jsonErrorText(json)}); expected exercises.json written by nabla exercise`,
    );
  const v = json.value;
  if (isObj(v) && v.format === CLASS_FORMAT)
    throw new DataError(
      `${source} is a class file (${CLASS_FORMAT}, a variant per student): grade it with --class answers/, a folder ` +
        "of the students' answer files",
    );
  if (!isObj(v))
    throw new DataError(
      `${source}: expected an exercise file {"format": "${EXERCISE_FORMAT}", …}, found ${describeValue(v)}`,
    );
  if (v.format !== EXERCISE_FORMAT)
    throw new DataError(
      `${source}: format: expected "${EXERCISE_FORMAT}" (a file written by nabla exercise), found ${describeValue(v.format)}`,
    );
  if (v.version !== EXERCISE_FORMAT_VERSION)
    throw new DataError(`${source}: version: expected ${EXERCISE_FORMAT_VERSION}, found ${describeValue(v.version)}`);
  const seed = typeof v.seed === 'number' && Number.isFinite(v.seed) ? v.seed : 0;
  return exerciseSetFrom(v.polynomials, v.exercises, seed, source);
}

/**
 * The polynomials and exercises of an exercise file (or of one student in a class file) read and checked: every
 * exercise within the limits, and its stored answers following from its network and input. `source` names the place.
 */
export function exerciseSetFrom(polys: unknown, list: unknown, seed: number, source: string): ExerciseSet {
  const v = { polynomials: polys, exercises: list };
  const polynomials: Record<string, string> = {};
  if (v.polynomials !== undefined) {
    if (!isObj(v.polynomials))
      throw new DataError(
        `${source}: polynomials: expected {"name": "x^3 - x", …}, found ${describeValue(v.polynomials)}`,
      );
    for (const [name, p] of Object.entries(v.polynomials)) {
      if (typeof p !== 'string')
        throw new DataError(
          `${source}: polynomials.${name}: expected a polynomial like "x^3 - x", found ${describeValue(p)}`,
        );
      polynomials[name] = p;
    }
  }
  let registry: ReturnType<typeof activationRegistry>;
  try {
    registry = activationRegistry(polynomials);
  } catch (e) {
    if (e instanceof NablaError) throw new DataError(`${source}: polynomials: ${e.message}`);
    throw e;
  }
  if (!Array.isArray(v.exercises) || v.exercises.length === 0)
    throw new DataError(`${source}: exercises: expected a non-empty array, found ${describeValue(v.exercises)}`);
  if (v.exercises.length > MAX_EXERCISE_COUNT) {
    throw new LimitError(
      `${source}: ${v.exercises.length.toLocaleString('en-US')} exercises; a set has at most ${MAX_EXERCISE_COUNT} (limits.exerciseCount)`,
    );
  }
  const seen = new Set<number>();
  const names = new Set(Object.keys(registry));
  const exercises = v.exercises.map((e: unknown, j) => exerciseFrom(e, j, source, seen, names));
  // The stored answers must follow from the network and the input.
  exercises.forEach((ex, j) => {
    const raw = (v.exercises as Obj[])[j]!;
    const answers = isObj(raw.answers) ? raw.answers : undefined;
    if (!answers)
      throw new DataError(
        `${source}: exercise ${ex.id}: answers: expected an object with the answers to ${ex.asks.map(askName).join(', ')}`,
      );
    const sol = solve(ex, registry);
    for (const a of ex.asks) {
      const stored =
        a.key === 'f' ? answers.f : isObj(answers[a.key]) ? (answers[a.key] as Obj)[String(a.index)] : undefined;
      const [r, c] = askShape(a, ex.widths);
      const m = matrixFrom(stored, `${source}: exercise ${ex.id}: answers ${askSymbol(a)}`, r, c);
      if (!m.equals(answerOf(sol, a))) {
        throw new DataError(
          `${source}: exercise ${ex.id}: the stored answer ${askSymbol(a)} does not follow from the ` +
            `exercise's network and input (was the file edited? generate it again with nabla exercise)`,
        );
      }
    }
  });
  return { seed, polynomials, exercises };
}
