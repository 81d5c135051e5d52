/**
 * The outputs of `nabla check --class`: the gradebook (CSV: a row per student, a score per exercise, the total and
 * the mistakes named per matrix), the class report as JSON and as a self-contained HTML page whose chart (Vega-Lite,
 * rendered to SVG here, so the page needs no script and no network) shows how many students made each classic
 * mistake at each step.
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

/** Each mistake's colour, the same in every report (Tableau 10 and two more; grey: no mistake recognised). */
const COLORS: Readonly<Record<string, string>> = {
  'forgot-dsigma': '#4e79a7',
  'w-for-wt': '#f28e2b',
  'wrong-order': '#e15759',
  'index-shift': '#76b7b2',
  'transpose-wrong-factor': '#59a14f',
  'forgot-sigma': '#edc948',
  swapped: '#b07aa1',
  'wrong-argument': '#d37295',
  transposed: '#9c755f',
  sign: '#ff9da7',
  carried: '#1f3b73',
};
const GREY = '#bab0ac';

/** The chart: per step (in the order a student computes them), a bar per classic mistake's count of students. */
export async function mistakeChartSvg(grade: ClassGrade): Promise<string> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const rows: { step: string; mistake: string; students: number }[] = [];
  const legend = new Map<string, string>(); // title → colour, in the catalogue's order
  for (const id of Object.keys(COLORS))
    for (const s of grade.steps) for (const m of s.mistakes) if (m.id === id) legend.set(m.title, COLORS[id]!);
  for (const s of grade.steps) {
    const step = axisLabel(s.symbol);
    for (const m of s.mistakes) rows.push({ step, mistake: m.title, students: m.students });
    if (s.unexplained > 0) {
      rows.push({ step, mistake: UNEXPLAINED, students: s.unexplained });
      legend.set(UNEXPLAINED, GREY);
    }
  }
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Students making each classic mistake, by step', anchor: 'start' },
    data: { values: rows },
    width: Math.min(960, Math.max(480, 90 * grade.steps.length)),
    height: 280,
    mark: { type: 'bar', tooltip: false },
    encoding: {
      x: {
        field: 'step',
        type: 'nominal',
        sort: grade.steps.map((s) => axisLabel(s.symbol)),
        scale: { domain: grade.steps.map((s) => axisLabel(s.symbol)) },
        axis: { labelAngle: 0, title: 'step' },
      },
      xOffset: { field: 'mistake', type: 'nominal', scale: { domain: [...legend.keys()] } },
      y: { field: 'students', type: 'quantitative', axis: { tickMinStep: 1, title: 'students' } },
      color: {
        field: 'mistake',
        type: 'nominal',
        title: 'mistake',
        scale: { domain: [...legend.keys()], range: [...legend.values()] },
        legend: { orient: 'bottom', columns: 2, labelLimit: 320 },
      },
    },
    background: 'white',
    config: { font: 'sans-serif' },
  };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

const CSS = [
  'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.4}',
  'table{border-collapse:collapse;margin:1rem 0;font-size:0.92rem}',
  'th,td{border:1px solid #bbb;padding:0.25rem 0.6rem;text-align:right}',
  'th:first-child,td:first-child,.text{text-align:left}.flag{background:#fde8e8}figure{margin:1rem 0}',
  '@media print{body{max-width:none}}',
].join('\n');

/** The class report as one HTML page (chart inlined as SVG, no script, no network). */
export async function reportHtml(grade: ClassGrade): Promise<string> {
  const e = escapeHtml;
  const handed = grade.students.filter((s) => s.report);
  const flagged = grade.students.filter((s) => s.flags.length > 0);
  const counted = handed.length - flagged.length;
  const titles = [...new Map(grade.steps.flatMap((s) => s.mistakes.map((m) => [m.id, m.title] as const))).values()];
  const stepTable = [
    `<table><thead><tr><th>step</th><th>graded</th><th>right</th>${titles.map((t) => `<th>${e(t)}</th>`).join('')}` +
      `<th>${e(UNEXPLAINED)}</th><th>missing</th><th>unreadable</th></tr></thead><tbody>`,
    ...grade.steps.map(
      (s) =>
        `<tr><td>${e(axisLabel(s.symbol))}</td><td>${s.graded}</td><td>${s.right}</td>${titles
          .map((t) => `<td>${s.mistakes.find((m) => m.title === t)?.students ?? 0}</td>`)
          .join('')}<td>${s.unexplained}</td><td>${s.missing}</td><td>${s.unreadable}</td></tr>`,
    ),
    '</tbody></table>',
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
<h2>Mistakes by step</h2>
<p>How many students’ answers at each step match each classic mistake
(an answer matching two mistakes counts for both).</p>
${stepTable}
<h2>Answered another student’s variant</h2>
${flaggedList}
<h2>Students</h2>
${students}
</body>
</html>
`;
}
