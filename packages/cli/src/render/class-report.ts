/**
 * The outputs of `nabla check --class`: the gradebook (CSV: a row per student, a score per exercise, the total and
 * the mistakes named per matrix), the class report as JSON and as a self-contained HTML page whose chart (Vega-Lite,
 * rendered to SVG here, so the page needs no script and no network) shows how many students made each classic
 * mistake at each step of each exercise (a table gives the same numbers).
 */
import { stringify } from 'csv-stringify/sync';
import type { gradeClass } from 'nabla/teach';
import { escapeHtml } from './html.js';

type ClassGrade = ReturnType<typeof gradeClass>;
type StudentGrade = ClassGrade['students'][number];
type MatrixGrade = NonNullable<StudentGrade['report']>['exercises'][number]['matrices'][number];

/**
 * A matrix's cell in the gradebook: right, missing, wrong, wrong with the mistakes named, or unreadable with where
 * and why (`unreadable: row 1, column 1: "zero" is not a number`).
 */
function matrixCell(m: MatrixGrade): string {
  if (m.status === 'unreadable') {
    const why = m.problems.map((p) => {
      const own = p.indexOf(`, ${m.symbol}`); // each problem starts with where(): "<file>: exercise 1, Δ_2"
      const rest = own < 0 ? p : p.slice(own + m.symbol.length + 2).replace(/^[,:] /, '');
      return rest.replace(/ \(write [^)]*\)$/, '');
    });
    return `unreadable: ${why.join('; ')}`;
  }
  if (m.status !== 'wrong') return m.status;
  return m.mistakes.length === 0 ? 'wrong' : `wrong: ${[...new Set(m.mistakes.map((x) => x.title))].join('; ')}`;
}

/** The variant graded against: the student's own, or the ones the platform drew ("e1 v4 e2 v2"). */
function variantText(s: StudentGrade): string | number {
  if (!s.drawn) return s.variant;
  return [...s.drawn]
    .sort((a, b) => a[0] - b[0])
    .map(([e, v]) => `e${e} v${v}`)
    .join(' ');
}

/** The gradebook: id, variant, file, flag, a score per exercise (matrices right), total, out of, a cell per matrix. */
export function gradebookCsv(grade: ClassGrade): string {
  const first = grade.students.find((s) => s.report)?.report;
  const exercises = first?.exercises ?? [];
  const names = exercises.flatMap((e) =>
    e.matrices.map((m) => `${e.id}.${m.ask.index === undefined ? m.ask.key : `${m.ask.key}_${m.ask.index}`}`),
  );
  const head = [
    'id',
    'variant',
    'file',
    'flag',
    ...exercises.map((e) => `exercise_${e.id}`),
    'total',
    'out_of',
    ...names,
  ];
  const rows = grade.students.map((s) => {
    if (!s.report)
      return [s.id, s.variant, '', 'no answer file', ...exercises.map(() => ''), '', '', ...names.map(() => '')];
    const r = s.report;
    return [
      s.id,
      variantText(s),
      s.source,
      s.flags.join(' | '),
      ...r.exercises.map((e) => e.matrices.filter((m) => m.status === 'right').length),
      r.right,
      r.total,
      ...r.exercises.flatMap((e) => e.matrices.map(matrixCell)),
    ];
  });
  return stringify([head, ...rows], { record_delimiter: 'unix' });
}

/** The class report as JSON: each student's scores, flags and mistakes per matrix, and the counts per step. */
export function reportJson(grade: ClassGrade): string {
  const report = {
    format: 'nabla-class-report',
    version: 1,
    courseSeed: grade.courseSeed,
    students: grade.students.map((s) => ({
      id: s.id,
      variant: s.variant,
      ...(s.drawn ? { drawn: Object.fromEntries([...s.drawn].sort((a, b) => a[0] - b[0])) } : {}),
      file: s.source ?? null,
      flags: s.flags,
      right: s.report?.right ?? null,
      total: s.report?.total ?? null,
      exercises:
        s.report?.exercises.map((e) => ({
          id: e.id,
          right: e.matrices.filter((m) => m.status === 'right').length,
          total: e.matrices.length,
          matrices: e.matrices.map((m) => ({
            matrix: m.ask.index === undefined ? m.ask.key : `${m.ask.key}_${m.ask.index}`,
            status: m.status,
            mistakes: [...new Set(m.mistakes.map((x) => x.id))],
          })),
        })) ?? null,
    })),
    steps: grade.steps,
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

const UNEXPLAINED = 'wrong, no classic mistake recognised';

/** A step's label on the chart's axis: "Δ_2", "∇W_1" (∇_{W_1} f), "Σ'_1". */
function axisLabel(symbol: string): string {
  return symbol.replace(/^∇_\{(W_\d+)\} f$/, '∇$1');
}

/** An exercise's label on the chart and in the table: "exercise 2: backpropagation". */
function groupLabel(s: ClassGrade['steps'][number]): string {
  return `exercise ${s.exercise}: ${s.exerciseTitle}`;
}

/** The steps grouped by exercise (and form), in the report's order. */
function stepGroups(grade: ClassGrade): { label: string; steps: ClassGrade['steps'] }[] {
  const groups: { label: string; steps: ClassGrade['steps'] }[] = [];
  for (const s of grade.steps) {
    const label = groupLabel(s);
    if (groups.at(-1)?.label === label) groups.at(-1)!.steps.push(s);
    else groups.push({ label, steps: [s] });
  }
  return groups;
}

/**
 * Each mistake's colour, the same in every report: Paul Tol's colour-blind-safe "muted" nine and black, every one
 * apart from the others; neutral greys for what is no mistake of its own (carried forward) or none recognised.
 */
const COLORS: Readonly<Record<string, string>> = {
  'forgot-dsigma': '#cc6677',
  'w-for-wt': '#332288',
  'wrong-order': '#ddcc77',
  'index-shift': '#117733',
  'transpose-wrong-factor': '#88ccee',
  'forgot-sigma': '#882255',
  swapped: '#44aa99',
  'wrong-argument': '#999933',
  transposed: '#000000',
  sign: '#aa4499',
  carried: '#dddddd',
};
const GREY = '#777777';

/**
 * The chart: a panel per exercise (and form), a group of bars per step in the order a student computes them, a bar
 * per classic mistake's count of students (outlined, so that the pale ones print).
 */
export async function mistakeChartSvg(grade: ClassGrade): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const rows: { exercise: string; step: string; mistake: string; students: number }[] = [];
  const legend = new Map<string, string>(); // title → colour, in the catalogue's order
  for (const id of Object.keys(COLORS))
    for (const s of grade.steps) for (const m of s.mistakes) if (m.id === id) legend.set(m.title, COLORS[id]!);
  for (const s of grade.steps) {
    const step = axisLabel(s.symbol);
    const exercise = groupLabel(s);
    for (const m of s.mistakes) rows.push({ exercise, step, mistake: m.title, students: m.students });
    if (s.unexplained > 0) {
      rows.push({ exercise, step, mistake: UNEXPLAINED, students: s.unexplained });
      legend.set(UNEXPLAINED, GREY);
    }
  }
  const panels = stepGroups(grade).map((g) => ({
    exercise: g.steps[0]!.exercise,
    panel: panelSpec(g, rows, legend),
  }));
  // a row of panels per exercise: the forms of one exercise side by side
  // (flush: Vega, measuring text without a canvas, reserves twice a title's width; the spacing holds the y axis)
  const lines: { hconcat: unknown[]; resolve: object; spacing: number; bounds: 'flush' }[] = [];
  const shared = { scale: { y: 'shared', color: 'shared', xOffset: 'independent' } };
  panels.forEach((p, j) => {
    if (j > 0 && panels[j - 1]!.exercise === p.exercise) lines.at(-1)!.hconcat.push(p.panel);
    else lines.push({ hconcat: [p.panel], resolve: shared, spacing: 64, bounds: 'flush' });
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Students making each classic mistake, by exercise and step', anchor: 'start' },
    data: { values: rows },
    vconcat: lines,
    resolve: shared,
    background: 'white',
    config: { font: 'sans-serif' },
  };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** One exercise's (or form's) panel: its steps on x, a bar per mistake found there. */
function panelSpec(
  g: { label: string; steps: ClassGrade['steps'] },
  rows: readonly { exercise: string; mistake: string }[],
  legend: ReadonlyMap<string, string>,
): object {
  const steps = g.steps.map((s) => axisLabel(s.symbol));
  const shown = [...legend.keys()].filter((t) => rows.some((r) => r.exercise === g.label && r.mistake === t));
  const width = Math.max(240, steps.length * Math.max(72, 16 * shown.length)); // about its title's width
  return {
    title: { text: g.label, anchor: 'start', fontSize: 12, fontWeight: 'normal' },
    transform: [{ filter: { field: 'exercise', equal: g.label } }],
    width,
    height: 160,
    mark: { type: 'bar', tooltip: false, stroke: '#333333', strokeWidth: 0.5 },
    encoding: {
      x: {
        field: 'step',
        type: 'nominal',
        sort: steps,
        scale: { domain: steps, paddingInner: 0.25, paddingOuter: 0.25 },
        axis: { labelAngle: 0, title: null },
      },
      xOffset: { field: 'mistake', type: 'nominal', scale: { domain: shown.length > 0 ? shown : [''] } },
      y: { field: 'students', type: 'quantitative', axis: { tickMinStep: 1, title: 'students' } },
      color: {
        field: 'mistake',
        type: 'nominal',
        title: 'mistake',
        scale: { domain: [...legend.keys()], range: [...legend.values()] },
        legend: { orient: 'bottom', direction: 'vertical', columns: 2, labelLimit: 640 },
      },
    },
  };
}

const CSS = [
  'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.4}',
  'table{border-collapse:collapse;margin:1rem 0;font-size:0.92rem}',
  'th,td{border:1px solid #bbb;padding:0.25rem 0.6rem;text-align:right}',
  'th:first-child,td:first-child,.text{text-align:left}.flag{background:#fde8e8}figure{margin:1rem 0}',
  'th.group{background:#f0f0f0;font-weight:600}',
  '@media print{body{max-width:none}}',
].join('\n');

/** The class report as one HTML page (chart inlined as SVG, no script, no network). */
export async function reportHtml(grade: ClassGrade): Promise<string> {
  const e = escapeHtml;
  const handed = grade.students.filter((s) => s.report);
  const flagged = grade.students.filter((s) => s.flags.length > 0);
  const counted = handed.length - flagged.length;
  const titles = [...new Map(grade.steps.flatMap((s) => s.mistakes.map((m) => [m.id, m.title] as const))).values()];
  const columns = 6 + titles.length;
  const stepTable = [
    `<table><thead><tr><th>step</th><th>graded</th><th>right</th>${titles.map((t) => `<th>${e(t)}</th>`).join('')}` +
      `<th>${e(UNEXPLAINED)}</th><th>missing</th><th>unreadable</th></tr></thead>`,
    ...stepGroups(grade).map((g) =>
      [
        `<tbody><tr><th colspan="${columns}" scope="rowgroup" class="text group">${e(g.label)}</th></tr>`,
        ...g.steps.map(
          (s) =>
            `<tr><td>${e(axisLabel(s.symbol))}</td><td>${s.graded}</td><td>${s.right}</td>${titles
              .map((t) => `<td>${s.mistakes.find((m) => m.title === t)?.students ?? 0}</td>`)
              .join('')}<td>${s.unexplained}</td><td>${s.missing}</td><td>${s.unreadable}</td></tr>`,
        ),
        '</tbody>',
      ].join('\n'),
    ),
    '</table>',
  ].join('\n');
  const flaggedList =
    flagged.length === 0
      ? '<p>No student answered another student’s variant.</p>'
      : `<ul>${flagged
          .map(
            (s) =>
              `<li class="flag">${e(s.id)} (variant ${e(String(variantText(s)))}): ${s.flags.map(e).join('; ')}</li>`,
          )
          .join('')}</ul>`;
  const students = [
    '<table><thead><tr><th>id</th><th>variant</th><th>right</th><th>of</th><th class="text">flag</th></tr></thead><tbody>',
    ...grade.students.map(
      (s) =>
        `<tr${s.flags.length > 0 ? ' class="flag"' : ''}><td>${e(s.id)}</td><td>${e(String(variantText(s)))}</td>` +
        `<td>${s.report?.right ?? '–'}</td><td>${s.report?.total ?? '–'}</td>` +
        `<td class="text">${s.report ? e(s.flags.join('; ')) : 'no answer file'}</td></tr>`,
    ),
    '</tbody></table>',
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Class report (course seed ${grade.courseSeed})</title>
<style>${CSS}</style>
</head>
<body>
<h1>Class report</h1>
<p>Course seed ${grade.courseSeed}: ${grade.students.length} students, ${handed.length} handed in,
${flagged.length} flagged; the counts below are of the ${counted} students graded against their own variant.</p>
<figure>${await mistakeChartSvg(grade)}</figure>
<h2>Mistakes by exercise and step</h2>
<p>How many students’ answers at each step of each exercise match each classic mistake
(an answer matching two mistakes counts for both; an exercise drawn in several forms has a group per form).</p>
${stepTable}
<h2>Answered another student’s variant</h2>
${flaggedList}
<h2>Students</h2>
${students}
</body>
</html>
`;
}
