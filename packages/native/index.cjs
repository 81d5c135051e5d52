// nabla-native: loads the addon built at install, or says why it cannot. `load()` returns { addon } or { reason };
// nabla's kernels/native.ts calls it and wraps the raw functions into its Kernels contract.
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const binary = join(__dirname, 'build', 'Release', 'nabla_native.node');
let cached;

function statusReason() {
  try {
    const s = JSON.parse(readFileSync(join(__dirname, 'build', 'status.json'), 'utf8'));
    if (s && s.built === false && typeof s.reason === 'string') return s.reason;
  } catch {
    // no status: the install script did not run
  }
  return 'its install script did not run (npm 11 skips dependency install scripts until allowed: ' +
    '`npm install-scripts approve nabla-native && npm rebuild nabla-native`)';
}

function load() {
  if (cached) return cached;
  const off = process.env.NABLA_NATIVE_DISABLE;
  if (off !== undefined && off !== '' && off !== '0' && off.toLowerCase() !== 'false') {
    cached = { reason: 'NABLA_NATIVE_DISABLE is set' };
  } else if (!existsSync(binary)) {
    cached = { reason: `nabla-native is not built: ${statusReason()}` };
  } else {
    try {
      const addon = require(binary);
      const cpu = addon.cpu();
      cached = cpu.avx512 || cpu.avx2 ? { addon, cpu } : { reason: 'this CPU has neither AVX-512F nor AVX2 + FMA' };
    } catch (e) {
      cached = { reason: `nabla-native did not load: ${e && e.message ? e.message : String(e)}` };
    }
  }
  return cached;
}

module.exports = { load, binary };
