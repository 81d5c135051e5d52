/**
 * Rewrites the platform fixtures (test/fixtures/platform/hand-worked.moodle.xml and hand-worked.qti-item.xml) from
 * the hand-worked exercise, when their output changes on purpose: `npx tsx test/helpers/write-platform-fixtures.ts`,
 * then read the diff. The consumer tests compare moodleXml and qtiFiles with these files.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { moodleXml } from '../../packages/nabla/src/teach/moodle.js';
import { qtiFiles } from '../../packages/nabla/src/teach/qti.js';
import { handWorkedSet } from './platform.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'platform');
const students = [{ id: 's1', variant: 1, set: handWorkedSet() }];
await writeFile(join(dir, 'hand-worked.moodle.xml'), moodleXml(students));
await writeFile(
  join(dir, 'hand-worked.qti-item.xml'),
  qtiFiles(students).find((f) => f.path.startsWith('items/'))!.text,
);
