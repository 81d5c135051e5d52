/**
 * Starting one worker thread of the pool: Node `worker_threads` (reached through `process.getBuiltinModule`,
 * never imported, so browser bundles don't see it; `unref()` so a forgotten `close()` doesn't keep the process
 * alive) or a web `Worker` from a blob URL (needs cross-origin isolation for `SharedArrayBuffer`). Either way
 * it runs the script of worker-script.ts and answers once whether its instance of the kernels is ready.
 */
import { nodeBuiltin } from './detect.js';
import { NODE_WORKER, WEB_WORKER } from './worker-script.js';

interface NodeWorkerLike {
  on(event: string, fn: (arg: never) => void): unknown;
  off(event: string, fn: (arg: never) => void): unknown;
  unref(): void;
  terminate(): Promise<number> | undefined;
}
interface NodeWorkerThreads {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => NodeWorkerLike;
}
interface WebWorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  addEventListener(type: string, fn: (e: { data?: unknown; message?: string }) => void): void;
  removeEventListener(type: string, fn: (e: { data?: unknown; message?: string }) => void): void;
}

export interface WorkerHandle {
  /** Terminates the worker; resolves when it is gone (as far as the platform tells). */
  stop(): Promise<void>;
}

/** What a worker needs: the (shared-memory) module, the memory, and the offsets of its workspace and the control block. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  workspace: number;
  control: number;
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts one worker; resolves once its instance is ready (or rejects with the reason it is not). `onCrash` is
 * called if the worker stops by itself later.
 */
export function startWorker(init: WorkerInit, onCrash: (why: string) => void): Promise<WorkerHandle> {
  const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  return new Promise<WorkerHandle>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (err: string | undefined, handle: WorkerHandle): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (err === undefined) resolve(handle);
      else {
        void handle.stop();
        reject(new Error(err));
      }
    };
    if (wt) {
      const w = new wt.Worker(NODE_WORKER, { eval: true, workerData: init });
      const handle: WorkerHandle = {
        stop: async () => {
          await w.terminate();
        },
      };
      const onMessage = (m: { ok: boolean; message?: string }): void => {
        w.off('message', onMessage);
        if (m.ok) w.unref(); // an idle worker must not keep Node alive
        finish(m.ok ? undefined : `the worker could not instantiate the kernels: ${m.message}`, handle);
      };
      const onError = (e: Error): void => {
        if (settled) onCrash(`the worker stopped: ${e.message}`);
        finish(`the worker failed to start: ${e.message}`, handle);
      };
      const onExit = (code: number): void => {
        if (settled) onCrash(`the worker exited (code ${code})`);
        finish(`the worker exited during start-up (code ${code})`, handle);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      timer = setTimeout(
        () => finish(`the worker did not start within ${START_TIMEOUT_MS / 1000} s`, handle),
        START_TIMEOUT_MS,
      );
    } else {
      const url = URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
      let w: WebWorkerLike;
      try {
        w = new (globalThis as unknown as { Worker: new (url: string) => WebWorkerLike }).Worker(url);
      } catch (e) {
        URL.revokeObjectURL(url);
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const handle: WorkerHandle = {
        stop: () => {
          w.terminate();
          return Promise.resolve();
        },
      };
      const onMessage = (e: { data?: unknown }): void => {
        const m = e.data as { ok: boolean; message?: string };
        w.removeEventListener('message', onMessage);
        URL.revokeObjectURL(url);
        finish(m.ok ? undefined : `the worker could not instantiate the kernels: ${m.message}`, handle);
      };
      const onError = (e: { message?: string }): void => {
        if (settled) onCrash(`the worker stopped: ${e.message ?? 'error'}`);
        finish(
          `the worker failed to start: ${e.message ?? 'error (a Content-Security-Policy may forbid blob: workers)'}`,
          handle,
        );
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage(init);
      timer = setTimeout(
        () => finish(`the worker did not start within ${START_TIMEOUT_MS / 1000} s`, handle),
        START_TIMEOUT_MS,
      );
    }
  });
}
