/**
 * Model files on disk (Node): `loadNetworkFile` reads and parses (io/model-json.ts); `saveNetworkFile` writes a temporary
 * file next to the target, flushes it and renames it over, so the target holds the old file or the new one.
 */

import { DataError, type FormatError, LimitError } from '../errors.js';
import {
  type LoadedModel,
  type ParseModelOptions,
  parseModel,
  type SaveableModel,
  safeParseModel,
  serializeModel,
} from '../io/model-json.js';
import { readTextFile } from './read-file.js';
import { writeFileAtomic } from './write-file.js';

/** What `safeLoadNetworkFile` returns: the loaded model, or the error that `loadNetworkFile` would have thrown. */
export type SafeLoadNetworkFileResult =
  | {
      /** The file was read and parsed. */ ok: true;
      /** The model read from the file. */ model: LoadedModel;
    }
  | {
      /** The file could not be read or is not a valid model. */ ok: false;
      /** `DataError` when the file cannot be read (missing, a directory, no permission), `FormatError` when its contents are invalid. */ error:
        | FormatError
        | DataError;
    };

/** Reads and parses a model file. Errors start with `opts.source` (default: the path). */
export async function loadNetworkFile(path: string, opts: ParseModelOptions = {}): Promise<LoadedModel> {
  const source = opts.source ?? path;
  return parseModel(readTextFile(path, source, 'a model file'), { ...opts, source });
}

/** `loadNetworkFile` without throwing for a missing, unreadable or invalid file. */
export async function safeLoadNetworkFile(
  path: string,
  opts: ParseModelOptions = {},
): Promise<SafeLoadNetworkFileResult> {
  const source = opts.source ?? path;
  let text: string;
  try {
    text = readTextFile(path, source, 'a model file');
  } catch (e) {
    if (e instanceof DataError) return { ok: false, error: e };
    if (e instanceof LimitError) return { ok: false, error: new DataError(e.message, { path }) };
    throw e;
  }
  return safeParseModel(text, { ...opts, source });
}

/**
 * Writes the model to `path` safely (errors start with `opts.source`, default the path): the text goes to a temporary file in the same directory, which is
 * flushed and then renamed over `path`, so `path` holds either the old file or the complete new one.
 */
export async function saveNetworkFile(
  path: string,
  model: SaveableModel,
  opts: { source?: string } = {},
): Promise<void> {
  await writeFileAtomic(path, serializeModel(model), opts.source ?? path);
}
