/**
 * Stand-ins for the Node built-ins that the library's file helpers import (loadCsv, loadModel, saveModel,
 * loadMnist, IDX files). The explorer never calls those helpers: it reads files with the browser's File API
 * and passes the text to parseCsv / safeParseModel. Anything here that is called says so plainly.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser (the explorer reads files through the page)`);
}

export const readFileSync = (): never => unavailable('fs.readFileSync');
export const existsSync = (): boolean => false;
export const readFile = (): never => unavailable('fs.readFile');
export const open = (): never => unavailable('fs.open');
export const rename = (): never => unavailable('fs.rename');
export const unlink = (): never => unavailable('fs.unlink');
export const randomBytes = (): never => unavailable('crypto.randomBytes');
export const gunzipSync = (): never => unavailable('zlib.gunzipSync');
export const createRequire = (): never => unavailable('module.createRequire');
export const fileURLToPath = (): never => unavailable('url.fileURLToPath');
export const tmpdir = (): never => unavailable('os.tmpdir');

/** Path helpers are harmless string functions; kept minimal (POSIX separators). */
export const basename = (p: string): string => p.split('/').pop() ?? p;
export const dirname = (p: string): string => p.split('/').slice(0, -1).join('/') || '.';
export const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');
export const resolve = join;

export default { readFileSync, existsSync, readFile, open, rename, unlink, randomBytes, gunzipSync, createRequire, basename, dirname, join, resolve };
