/**
 * The worker threads' source text: one body in plain JavaScript, run as a string (not a stringified function,
 * so no bundler or test transform can rewrite it), wrapped once for Node `worker_threads` and once for a web
 * `Worker`. The protocol it follows is described in threads.ts.
 */
import {
  ARG,
  CMD,
  CMD_EXIT,
  CONTROL_BYTES,
  ERR,
  FIN,
  FLOATS_BYTE,
  HADAMARD,
  KIND,
  KIND_MATMUL,
  KIND_SGD,
  NEXT,
  SEQ,
  SLEEPERS,
  SPIN_US,
  WORKER_CHUNKS,
} from './control-block.js';

/**
 * The worker's body. `d`: { module, memory, workspace, control }; `post(message)` answers the creating thread
 * once: { ok: true } or { ok: false, message }.
 */
const WORKER_BODY =
  `
function nablaGemmWorker(d, post) {
  var SEQ = ${SEQ}, CMD = ${CMD}, SLEEPERS = ${SLEEPERS}, SPIN_US = ${SPIN_US}, NEXT = ${NEXT}, ` +
  `FIN = ${FIN}, ERR = ${ERR}, WCH = ${WORKER_CHUNKS}, ARG = ${ARG}, KIND = ${KIND}, HADAMARD = ${HADAMARD};
  var x, c, f;
  try {
    x = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
    x.setGemmWorkspace(d.workspace);
    c = new Int32Array(d.memory.buffer, d.control, ${CONTROL_BYTES / 4});
    f = new Float64Array(d.memory.buffer, d.control + ${FLOATS_BYTE}, ${(CONTROL_BYTES - FLOATS_BYTE) / 8});
  } catch (e) {
    post({ ok: false, message: String((e && e.message) || e) });
    return;
  }
  post({ ok: true });
  var seen = Atomics.load(c, SEQ);
  for (;;) {
    var s = Atomics.load(c, SEQ);
    if (s === seen) {
      var t0 = performance.now(), i = 0;
      while ((s = Atomics.load(c, SEQ)) === seen) {
        if ((++i & 255) === 0 && performance.now() - t0 >= Atomics.load(c, SPIN_US) / 1000) {
          Atomics.add(c, SLEEPERS, 1);
          Atomics.wait(c, SEQ, seen);
          Atomics.sub(c, SLEEPERS, 1);
        }
      }
    }
    seen = s;
    if (Atomics.load(c, CMD) === ${CMD_EXIT}) return;
    for (;;) {
      var w = Atomics.load(c, NEXT), n = (w >>> 10) & 1023, k = w & 1023;
      if (k >= n) break;
      if (Atomics.compareExchange(c, NEXT, w, w + 1) !== w) continue;
      try {
        var size = c[ARG + 10], lo = k * size, hi = Math.min(c[ARG + 11], lo + size), kind = c[KIND], o = 4 * lo;
        if (kind === ${KIND_MATMUL}) {
          var rows = c[ARG + 3], cols = c[ARG + 5], h = c[HADAMARD], byRows = c[ARG + 9] === 0;
          var r0 = byRows ? lo : 0, r1 = byRows ? hi : rows, c0 = byRows ? 0 : lo, c1 = byRows ? cols : hi;
          if (h !== 0) x.matmulHadamardPart(c[ARG], c[ARG + 1], c[ARG + 2], h, rows, c[ARG + 4], cols, c[ARG + 6], c[ARG + 7], r0, r1, c0, c1);
          else x.matmulPart(c[ARG], c[ARG + 1], c[ARG + 2], rows, c[ARG + 4], cols, c[ARG + 6], c[ARG + 7], c[ARG + 8], r0, r1, c0, c1);
        } else if (kind === ${KIND_SGD}) {
          x.sgdUpdate(c[ARG] + o, c[ARG + 1] + o, c[ARG + 2] + o, hi - lo, f[0], f[1], f[2], c[ARG + 4]);
        } else {
          x.adamUpdate(c[ARG] + o, c[ARG + 1] + o, c[ARG + 2] + o, c[ARG + 3] + o, hi - lo, f[0], f[1], f[2], f[3], f[4], c[ARG + 5], c[ARG + 6]);
        }
      } catch (e) {
        Atomics.store(c, ERR, 1);
      }
      Atomics.add(c, WCH, 1);
      if (Atomics.add(c, FIN, 1) + 1 === n) Atomics.notify(c, FIN);
    }
  }
}
`;

/** The script of a Node `worker_threads` worker (`eval: true`, the init in `workerData`). */
export const NODE_WORKER = `${WORKER_BODY}
const { parentPort, workerData } = require('node:worker_threads');
nablaGemmWorker(workerData, (m) => parentPort.postMessage(m));
`;

/** The script of a web `Worker` (from a blob URL; the init arrives as its first message). */
export const WEB_WORKER = `${WORKER_BODY}
self.onmessage = function (e) {
  self.onmessage = null;
  nablaGemmWorker(e.data, function (m) { self.postMessage(m); });
  self.close();
};
`;
