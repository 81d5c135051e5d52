/**
 * Saving and loading models in a browser: a download and a `File` (or any `Blob`), `localStorage`, and IndexedDB.
 * All of them store the model file's JSON text (version 1), so a model saved one way loads every other way, and
 * in Node through `nabla/node`. These functions use the page's globals and say so when one is missing.
 */
import { DataError, UnsupportedError } from '../errors.js';
import type { Activation } from '../net/activation.js';
import { Model } from './model.js';

/** Options of the loaders: user-defined activations the file may name. */
export interface LoadOptions {
  /** User-defined activations, by the names the file uses. */
  activations?: Readonly<Record<string, Activation>>;
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
/** What `modelBlob` returns and `loadModelBlob` reads: a `Blob` or `File`. */
export interface BlobLike {
  /** The contents as text. */
  text(): Promise<string>;
  /** Size in bytes. */
  readonly size: number;
}
interface Globals {
  localStorage?: StorageLike;
  Blob?: new (parts: string[], opts: { type: string }) => BlobLike;
  URL?: { createObjectURL(b: unknown): string; revokeObjectURL(u: string): void };
  document?: {
    createElement(tag: 'a'): { href: string; download: string; click(): void; remove(): void };
    body: { append(e: unknown): void };
  };
  indexedDB?: IdbFactory;
}
interface IdbRequest<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbStore {
  put(value: string, key: string): IdbRequest<unknown>;
  get(key: string): IdbRequest<unknown>;
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string): unknown;
  transaction(name: string, mode: 'readonly' | 'readwrite'): { objectStore(name: string): IdbStore };
  close(): void;
}
interface IdbFactory {
  open(name: string, version?: number): IdbOpenRequest;
}

const g = globalThis as unknown as Globals;
const STORE = 'models';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined)
    throw new UnsupportedError(
      `${what} is not available in this environment (it exists in browsers); in Node use nabla/node's saveModelFile / loadModelFile`,
    );
  return value;
}

/** The model file as a `Blob` of type application/json (for a download or an upload). */
export function modelBlob(model: Model): BlobLike {
  return new (need(g.Blob, 'Blob'))([model.serialize()], { type: 'application/json' });
}

/** Offers the model file as a download named `filename` (default model.json). */
export function downloadModel(model: Model, filename = 'model.json'): void {
  const url = need(g.URL, 'URL').createObjectURL(modelBlob(model));
  const doc = need(g.document, 'document');
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => g.URL!.revokeObjectURL(url), 0);
}

/** Reads a model from a `File` (an `<input type="file">` pick, a drop) or any `Blob`. */
export async function loadModelBlob(file: BlobLike & { name?: string }, opts: LoadOptions = {}): Promise<Model> {
  return Model.fromJSON(await file.text(), { ...opts, source: file.name ?? 'model file' });
}

/** Stores the model under `key` in `localStorage` (synchronous; a few MB at most in most browsers). */
export function saveToLocalStorage(model: Model, key: string): void {
  need(g.localStorage, 'localStorage').setItem(key, model.serialize());
}

/** The model stored under `key` in `localStorage`; throws `DataError` when there is none. */
export function loadFromLocalStorage(key: string, opts: LoadOptions = {}): Model {
  const text = need(g.localStorage, 'localStorage').getItem(key);
  if (text === null) throw new DataError(`localStorage has no model under the key ${JSON.stringify(key)}`);
  return Model.fromJSON(text, { ...opts, source: `localStorage[${JSON.stringify(key)}]` });
}

function request<T>(r: IdbRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error instanceof Error ? r.error : new DataError(`IndexedDB: ${String(r.error)}`));
  });
}

async function database(name: string): Promise<IdbDatabase> {
  const open = need(g.indexedDB, 'indexedDB').open(name, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
  };
  return request(open);
}

/** Stores the model under `key` in IndexedDB (database `dbName`, default "nabla"; room for large models). */
export async function saveToIndexedDB(model: Model, key: string, dbName = 'nabla'): Promise<void> {
  const text = model.serialize();
  const db = await database(dbName);
  try {
    await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(text, key));
  } finally {
    db.close();
  }
}

/** The model stored under `key` in IndexedDB; throws `DataError` when there is none. */
export async function loadFromIndexedDB(key: string, opts: LoadOptions & { dbName?: string } = {}): Promise<Model> {
  const db = await database(opts.dbName ?? 'nabla');
  let value: unknown;
  try {
    value = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(key));
  } finally {
    db.close();
  }
  if (typeof value !== 'string')
    throw new DataError(`IndexedDB "${opts.dbName ?? 'nabla'}" has no model under the key ${JSON.stringify(key)}`);
  return Model.fromJSON(value, { ...opts, source: `IndexedDB[${JSON.stringify(key)}]` });
}
