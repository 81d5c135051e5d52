// Builds the addon at install with node-gyp against Node's own headers, and never fails the install: when the
// build cannot run (no compiler, no headers, not x86-64) it writes why into build/status.json, prints one line on
// stderr, and exits 0, so `npm install` succeeds and nabla runs on WebAssembly. It downloads nothing: node-gyp is
// given a --nodedir that already holds the headers, or the build is skipped.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const here = __dirname;
const status = join(here, 'build', 'status.json');

function done(built, reason) {
  mkdirSync(dirname(status), { recursive: true });
  writeFileSync(status, JSON.stringify({ built, reason, node: process.version, arch: process.arch }, null, 2) + '\n');
  if (!built) process.stderr.write(`nabla-native: not built (${reason}); nabla will run on WebAssembly\n`);
  process.exit(0);
}

/** A directory with Node's headers (include/node/node_api.h): npm's nodedir setting, else Node's own prefix. */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, dirname(dirname(process.execPath))].filter(Boolean);
  return candidates.find((d) => existsSync(join(d, 'include', 'node', 'node_api.h')));
}

/** npm's own node-gyp (npm sets npm_config_node_gyp for install scripts), else the one next to npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  return candidates.find((p) => existsSync(p));
}

if (process.env.NABLA_NATIVE_SKIP_BUILD) done(false, 'NABLA_NATIVE_SKIP_BUILD is set');
if (process.arch !== 'x64') done(false, `the native kernels are for x86-64 CPUs, this is ${process.arch}`);
const dir = nodeDir();
if (!dir) done(false, "Node's headers (include/node/node_api.h) are not on this machine, and the build downloads nothing");
const gyp = nodeGyp();
if (!gyp) done(false, 'node-gyp was not found (npm ships it; set npm_config_node_gyp)');
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`], { cwd: here, encoding: 'utf8', env: process.env });
if (r.status !== 0) {
  const text = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  // the first line that says what went wrong: a missing tool, a compiler error, else node-gyp's own summary
  const missing =
    /(g\+\+|c\+\+|cc|make|python3?)[^\n]*(not found|No such file)/i.exec(text) ??
    /^[^\n]*(?:error:|Error \d+|cannot execute|Permission denied)[^\n]*$/im.exec(text) ??
    /gyp ERR! stack Error: ([^\n]+)/.exec(text);
  process.stderr.write(text); // npm shows it with --foreground-scripts
  rmSync(join(here, 'build', 'Release'), { recursive: true, force: true });
  done(false, `node-gyp rebuild failed${missing ? `: ${missing[0].trim().slice(0, 200)}` : ` (exit ${r.status})`} ` +
'(the whole log: npm rebuild nabla-native --foreground-scripts)');
}
// keep the addon, drop the build's intermediate files (objects, archives, makefiles)
const built = join(here, 'build', 'Release', 'nabla_native.node');
const keep = join(here, 'nabla_native.node.tmp');
renameSync(built, keep);
rmSync(join(here, 'build'), { recursive: true, force: true });
mkdirSync(dirname(built), { recursive: true });
renameSync(keep, built);
done(true, undefined);
