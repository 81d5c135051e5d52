/**
 * A QTI 2.1 content package (zip with imsmanifest.xml) for the platforms that import QTI (Canvas, Blackboard, TAO,
 * Inspera…): one assessmentItem per exercise and variant, one textEntryInteraction (baseType float) per matrix
 * entry, response processing per entry (+1 to SCORE inside the right value's interval), and for an entry inside a
 * classic mistake's interval its outcome FEEDBACK_Fn set to Fn, shown by the modalFeedback naming the mistake
 * (quiz-questions.ts): one single-cardinality outcome per feedback rather than one `multiple` outcome added to, which
 * not every player accumulates. An assessmentTest has one section per exercise that selects one variant per
 * candidate. Intervals are written `gte`/`lte` rather than `equal` with a tolerance, which some players do not run.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { strToU8, zipSync } from 'fflate';
import { math } from './doc.js';
import { exerciseTitle } from './exercise-sheet.js';
import {
  blocksHtml,
  inlineHtml,
  type QuizMatrix,
  type QuizValue,
  type QuizVariant,
  quizInstruction,
  quizQuestions,
} from './quiz-questions.js';

const QTI_NS = 'http://www.imsglobal.org/xsd/imsqti_v2p1';
const QTI_XSD = 'http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd';
const CP_NS = 'http://www.imsglobal.org/xsd/imscp_v1p1';
const CP_XSD = 'http://www.imsglobal.org/xsd/imscp_v1p1.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** One file of the package. */
export interface QtiFile {
  /** Its path inside the zip. */
  path: string;
  /** Its text (XML). */
  text: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressBooleanAttributes: false,
});
const xml = (doc: unknown) => `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc) as string}`;
/** Stands for the item body in the built item: the body is XHTML already (escaped by blocksHtml), put in after. */
const BODY = 'NABLA_ITEM_BODY';

/** "R_D_2_1_1": the response of entry (1, 1) of Δ_2. */
function responseId(m: QuizMatrix, row: number, col: number): string {
  return `R_${m.ask.key}${m.ask.index === undefined ? '' : `_${m.ask.index}`}_${row}_${col}`;
}

const float = (x: number) => ({ '@_baseType': 'float', '#text': String(x) });

/** `lo ≤ response ≤ hi`. */
function within(id: string, v: QuizValue): unknown {
  return {
    and: {
      gte: { variable: { '@_identifier': id }, baseValue: float(v.low) },
      lte: { variable: { '@_identifier': id }, baseValue: float(v.high) },
    },
  };
}

/** The item of one exercise of one variant. */
function itemXml(identifier: string, title: string, body: string, matrices: QuizMatrix[]): string {
  const responses: unknown[] = [];
  const conditions: unknown[] = [];
  const feedbackIds = new Map<string, string>(); // "Δ_2: text" → identifier
  for (const m of matrices) {
    for (const e of m.entries) {
      const id = responseId(m, e.row, e.col);
      responses.push({
        '@_identifier': id,
        '@_cardinality': 'single',
        '@_baseType': 'float',
        correctResponse: { value: e.right.text },
      });
      const branches = [
        {
          ...(within(id, e.right) as object),
          setOutcomeValue: {
            '@_identifier': 'SCORE',
            sum: { variable: { '@_identifier': 'SCORE' }, baseValue: float(1) },
          },
        },
        ...e.mistakes.map((x) => ({
          ...(within(id, x) as object),
          setOutcomeValue: x.feedback.map((text) => {
            const key = `${m.symbol}: ${text}`;
            let fid = feedbackIds.get(key);
            if (!fid) {
              fid = `F${feedbackIds.size + 1}`;
              feedbackIds.set(key, fid);
            }
            return { '@_identifier': `FEEDBACK_${fid}`, baseValue: { '@_baseType': 'identifier', '#text': fid } };
          }),
        })),
      ];
      conditions.push({
        responseIf: branches[0],
        ...(branches.length > 1 ? { responseElseIf: branches.slice(1) } : {}),
      });
    }
  }
  const total = matrices.reduce((s, m) => s + m.entries.length, 0);
  const outcome = (identifier: string, value: number) => ({
    '@_identifier': identifier,
    '@_cardinality': 'single',
    '@_baseType': 'float',
    defaultValue: { value: String(value) },
  });
  const doc = xml({
    assessmentItem: {
      '@_xmlns': QTI_NS,
      '@_xmlns:xsi': XSI,
      '@_xsi:schemaLocation': `${QTI_NS} ${QTI_XSD}`,
      '@_identifier': identifier,
      '@_title': title,
      '@_adaptive': 'false',
      '@_timeDependent': 'false',
      responseDeclaration: responses,
      outcomeDeclaration: [
        outcome('SCORE', 0),
        outcome('MAXSCORE', total),
        ...[...feedbackIds.values()].map((fid) => ({
          '@_identifier': `FEEDBACK_${fid}`,
          '@_cardinality': 'single',
          '@_baseType': 'identifier',
        })),
      ],
      itemBody: { '#text': BODY },
      responseProcessing: { responseCondition: conditions },
      modalFeedback: [...feedbackIds].map(([text, fid]) => ({
        '@_outcomeIdentifier': `FEEDBACK_${fid}`,
        '@_identifier': fid,
        '@_showHide': 'show',
        '#text': text,
      })),
    },
  });
  return doc.replace(BODY, `\n${body}\n`);
}

/** The item body's XHTML: the statement, then per matrix a table of text entries. */
function bodyHtml(statement: string, matrices: QuizMatrix[]): string {
  const grids = matrices.map((m) => {
    const rows: string[] = [];
    for (let r = 1; r <= m.rows; r++) {
      const cells = m.entries
        .filter((e) => e.row === r)
        .map(
          (e) =>
            `<td><textEntryInteraction responseIdentifier="${responseId(m, e.row, e.col)}" expectedLength="10"/></td>`,
        );
      rows.push(`<tr>${cells.join('')}</tr>`);
    }
    return `<p>${inlineHtml([math(`${m.tex} =`)])}</p><table><tbody>${rows.join('')}</tbody></table>`;
  });
  return [statement, `<p>${inlineHtml(quizInstruction())}</p>`, ...grids].join('\n');
}

/**
 * The package's files: imsmanifest.xml, items/*.xml (one per exercise and variant) and test.xml (one section per
 * exercise selecting one of its variants).
 */
export function qtiFiles(variants: readonly QuizVariant[], title = 'nabla'): QtiFile[] {
  const items: { path: string; identifier: string; exercise: number; text: string }[] = [];
  for (const v of variants) {
    for (const q of quizQuestions(v.set)) {
      const ex = q.exercise;
      const identifier = `nabla-e${ex.id}-v${v.variant}`;
      const name = `Exercise ${ex.id}, variant ${v.variant} (${v.id}): ${exerciseTitle(ex)}`;
      const text = itemXml(identifier, name, bodyHtml(blocksHtml(q.body), q.matrices), q.matrices);
      items.push({ path: `items/${identifier}.xml`, identifier, exercise: ex.id, text });
    }
  }
  const exercises = [...new Set(items.map((i) => i.exercise))].sort((a, b) => a - b);
  const test = xml({
    assessmentTest: {
      '@_xmlns': QTI_NS,
      '@_xmlns:xsi': XSI,
      '@_xsi:schemaLocation': `${QTI_NS} ${QTI_XSD}`,
      '@_identifier': 'nabla-test',
      '@_title': title,
      testPart: {
        '@_identifier': 'part',
        '@_navigationMode': 'nonlinear',
        '@_submissionMode': 'simultaneous',
        assessmentSection: exercises.map((id) => ({
          '@_identifier': `exercise-${id}`,
          '@_title': `Exercise ${id}`,
          '@_visible': 'true',
          selection: { '@_select': '1' },
          assessmentItemRef: items
            .filter((i) => i.exercise === id)
            .map((i) => ({ '@_identifier': i.identifier, '@_href': i.path })),
        })),
      },
    },
  });
  const resource = (identifier: string, type: string, href: string, deps: string[] = []) => ({
    '@_identifier': identifier,
    '@_type': type,
    '@_href': href,
    file: { '@_href': href },
    ...(deps.length > 0 ? { dependency: deps.map((d) => ({ '@_identifierref': d })) } : {}),
  });
  const manifest = xml({
    manifest: {
      '@_xmlns': CP_NS,
      '@_xmlns:xsi': XSI,
      '@_xsi:schemaLocation': `${CP_NS} ${CP_XSD}`,
      '@_identifier': 'nabla-package',
      metadata: { schema: 'QTIv2.1 Package', schemaversion: '1.0.0' },
      organizations: '',
      resources: {
        resource: [
          resource(
            'nabla-test',
            'imsqti_test_xmlv2p1',
            'test.xml',
            items.map((i) => i.identifier),
          ),
          ...items.map((i) => resource(i.identifier, 'imsqti_item_xmlv2p1', i.path)),
        ],
      },
    },
  });
  return [
    { path: 'imsmanifest.xml', text: manifest },
    { path: 'test.xml', text: test },
    ...items.map((i) => ({ path: i.path, text: i.text })),
  ];
}

/** The QTI 2.1 content package as zip bytes (fixed dates, so the same variants give the same bytes). */
export function qtiPackage(variants: readonly QuizVariant[], title = 'nabla'): Uint8Array {
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  const mtime = new Date(Date.UTC(2000, 0, 1));
  for (const f of qtiFiles(variants, title)) entries[f.path] = [strToU8(f.text), { mtime }];
  return zipSync(entries, { level: 6 });
}
