// Browser entry of the package test's app (bundled by esbuild and by Vite): runs the program, then saves and
// loads the trained model every browser way (localStorage, IndexedDB, a Blob as a download or an upload gives
// it) and reports whether each copy predicts exactly what the original does. The report lands on globalThis.
import {
  loadFromIndexedDB,
  loadFromLocalStorage,
  loadModelBlob,
  Model,
  modelBlob,
  saveToIndexedDB,
  saveToLocalStorage,
} from 'nabla';
import { type Report, run } from './run.js';

const g = globalThis as unknown as { __report?: unknown; __error?: string };

async function storage(r: Report): Promise<Record<string, boolean>> {
  const x = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const model = Model.fromJSON(r.saved);
  const same = (m: Model) => JSON.stringify(m.predict(x)) === JSON.stringify(r.predictions);
  saveToLocalStorage(model, 'xor');
  await saveToIndexedDB(model, 'xor');
  return {
    localStorage: same(loadFromLocalStorage('xor')),
    indexedDB: same(await loadFromIndexedDB('xor')),
    blob: same(await loadModelBlob(modelBlob(model))),
  };
}

run()
  .then(async (r) => {
    g.__report = { ...r, storage: await storage(r) };
  })
  .catch((e: unknown) => {
    g.__error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  });
