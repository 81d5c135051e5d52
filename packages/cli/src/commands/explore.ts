/**
 * `nabla explore`: serves the web explorer (packages/explorer, built by Vite) on 127.0.0.1 and prints its address,
 * building it first in a checkout where the built files are missing or stale.
 *   nabla explore [--port 8080] [--rebuild]
 */
import { createReadStream, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { DataError, OptionError } from 'nabla';
import type { CommandContext } from '../context.js';
import { parseInteger } from '../options.js';

export const DEFAULT_PORT = 8080;

/** The repository root (four levels up from packages/cli/src/commands/). */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
/** The explorer's sources (a workspace package of the repository). */
export const explorerSource = join(repoRoot, 'packages', 'explorer');
/** Where `npm run web:build` and `nabla explore` put the built page. */
export const explorerDist = join(repoRoot, 'dist', 'explorer');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
async function newest(dir: string): Promise<number> {
  let t = 0;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, await newest(p));
    else if (e.isFile()) t = Math.max(t, (await stat(p)).mtimeMs);
  }
  return t;
}

/** Builds the explorer with Vite into `outDir` (default dist/explorer). Throws DataError when Vite is not installed. */
export async function buildExplorer(outDir = explorerDist): Promise<void> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new DataError(
      'the explorer is not built and Vite is not installed here; in a checkout of nabla run: npm ci && npm run web:build',
    );
  }
  await vite.build({
    configFile: join(explorerSource, 'vite.config.ts'),
    build: { outDir, emptyOutDir: true },
    logLevel: 'error',
  });
}

/** Whether dist/explorer must be (re)built: missing, or older than the explorer's or the library's sources in a checkout. */
export async function explorerIsStale(dir = explorerDist): Promise<boolean> {
  const index = join(dir, 'index.html');
  if (!(await exists(index))) return true;
  if (!(await exists(explorerSource))) return false;
  const built = (await stat(index)).mtimeMs;
  const sources = Math.max(
    await newest(join(explorerSource, 'src')),
    await newest(join(repoRoot, 'packages', 'nabla', 'src')),
  );
  return sources > built;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The decoded path of a request URL, or undefined when the URL is malformed (bad percent-encoding such as `/%zz`,
 * a NUL byte, or not a path at all): the server answers 400 and stays up.
 */
export function requestPath(url: string | undefined): string | undefined {
  try {
    const path = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname);
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}

/** Serves the static files in `dir` on host:port (port 0: any free port). */
export function serveExplorer(dir: string, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const root = resolve(dir);
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    const path = requestPath(req.url);
    if (path === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(path === undefined ? 400 : 405, { 'content-type': 'text/plain' })
        .end(path === undefined ? 'bad request' : 'method not allowed');
      return;
    }
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    stat(file).then(
      (s) => {
        if (!s.isFile()) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
          'content-length': s.size,
          'cache-control': 'no-cache',
        });
        if (req.method === 'HEAD') res.end();
        // pipeline, not pipe: an aborted download destroys the file stream too (pipe kept its descriptor open)
        else pipeline(createReadStream(file), res, () => undefined);
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    );
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(
          new OptionError(
            `--port ${opts.port}: the port is in use; choose another, e.g. --port ${(opts.port ?? DEFAULT_PORT) + 1}`,
          ),
        );
      else if (e.code === 'EACCES')
        reject(new OptionError(`--port ${opts.port}: not allowed to listen on this port; choose one above 1024`));
      else reject(e);
    });
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${host}:${port}/`,
        port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

interface ExploreOptions {
  port: string;
  rebuild?: boolean;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('explore')
    .summary("open the web explorer: the paper's matrices with live numbers, and a training playground")
    .description(
      'Serve the web explorer on 127.0.0.1 and print its address. Builds it first (Vite) when dist/explorer is missing ' +
        'or older than the sources. The same files, built with npm run web:build, can be hosted anywhere.',
    )
    .option('--port <n>', `port to listen on (0 = any free port)`, String(DEFAULT_PORT))
    .option('--rebuild', 'build the explorer again even when it is up to date')
    .action(async (opts: ExploreOptions) => {
      const port = parseInteger('--port', opts.port, String(DEFAULT_PORT), { min: 0, max: 65535 });
      if (opts.rebuild || (await explorerIsStale())) {
        const have = await exists(join(explorerDist, 'index.html'));
        try {
          ctx.io.stderr.write(`nabla explore: building the explorer into ${explorerDist} …\n`);
          await buildExplorer();
        } catch (e) {
          if (!(e instanceof DataError) || !have) throw e;
          ctx.io.stderr.write(`nabla explore: serving the explorer built earlier (${e.message})\n`);
        }
      }
      const server = await serveExplorer(explorerDist, { port });
      ctx.print(
        `nabla explorer: ${server.url}  (port ${server.port}${port === DEFAULT_PORT ? ', the default; choose another with --port' : ''}; Ctrl+C stops)`,
      );
    });
}
