// System tools that some tests need (Debian's Chromium, pdflatex). On a machine that has only Node the README's
// test command still passes: those tests skip, and say why on stderr. `.ci/run` installs the tools and sets
// NABLA_REQUIRE_TOOLS=1, under which a missing tool fails the test instead of skipping it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface SystemTool {
  name: string;
  available: boolean;
  install: string;
}

function check(name: string, probe: () => boolean, install: string): SystemTool {
  let available = false;
  try {
    available = probe();
  } catch {
    available = false;
  }
  return { name, available, install };
}

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const chromiumTool = check('Chromium', () => existsSync(CHROMIUM_PATH), 'apt-get install -y chromium');
export const pdflatexTool = check(
  'pdflatex',
  () => {
    execFileSync('pdflatex', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  },
  'apt-get install -y texlive-latex-base',
);

/**
 * Whether the tests of `what` can run. When the tool is missing: under NABLA_REQUIRE_TOOLS=1 (CI) throws, so the
 * file fails; otherwise prints the reason once and returns false (the caller skips).
 */
export function haveTool(tool: SystemTool, what: string): boolean {
  if (tool.available) return true;
  const reason = `${what}: ${tool.name} is not installed (${tool.install})`;
  if (process.env.NABLA_REQUIRE_TOOLS === '1') throw new Error(`${reason}; NABLA_REQUIRE_TOOLS=1 forbids skipping it`);
  process.stderr.write(`skipped: ${reason}\n`);
  return false;
}

/** onnxruntime-node (a development dependency): its CPU binaries ship in the npm package. */
export const onnxRuntimeTool = check(
  'onnxruntime-node',
  () => {
    createRequire(import.meta.url)('onnxruntime-node');
    return true;
  },
  'npm ci (onnxruntime-node is a devDependency; .npmrc skips its optional GPU download)',
);

/** PHP's command line (runs Moodle's Cloze parser in test/consumers/moodle-cloze.test.ts). */
export const phpTool = check(
  'php',
  () => {
    execFileSync('php', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  },
  'apt-get install -y php-cli php-xml',
);

/** libxml2's xmllint (the QTI package and Moodle XML are checked with it). */
export const xmllintTool = check(
  'xmllint',
  () => {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  },
  'apt-get install -y libxml2-utils',
);
