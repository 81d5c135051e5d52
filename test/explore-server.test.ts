// `nabla explore`'s static server against arbitrary request URLs: generated and mutated paths (fast-check), sent
// raw over TCP, each answered with a status (200, 400, 403, 404 or 405) or refused by Node's HTTP parser; the
// server never throws and still serves the page afterwards. Bounded in count and time, loopback only.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, requestPath, serveExplorer } from '../packages/cli/src/commands/explore.js';

let dir: string;
let server: RunningServer;

/** The status code of one raw request, or 'closed' when the connection ended without a status line. */
function raw(path: string, method = 'GET'): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const socket = connect(server.port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on('data', (b) => (data += b.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve(m ? Number(m[1]) : 'closed');
    });
    socket.write(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-serve-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  server = await serveExplorer(dir, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the explore server under any request', () => {
  it('decodes paths and refuses malformed ones', () => {
    expect(requestPath('/a%20b')).toBe('/a b');
    expect(requestPath('/%zz')).toBeUndefined();
    expect(requestPath('/%E0%A4%A')).toBeUndefined();
    expect(requestPath('/a%00b')).toBeUndefined();
  });

  it('answers 400 to /%zz and keeps serving', async () => {
    expect(await raw('/%zz')).toBe(400);
    expect(await raw('/')).toBe(200);
    expect(await raw('/../../etc/passwd')).not.toBe(200);
    expect(await raw('/', 'POST')).toBe(405);
  });

  it('1,500 generated and mutated URLs: a status or a refused connection each, never a crash', async () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '%',
        '%z',
        '%zz',
        '%0',
        '%00',
        '%E0%A4%A',
        '%C0%AF',
        '..',
        '.',
        '/',
        '//',
        '\\',
        '?',
        '#',
        '%2e%2e',
        '%2f',
        'index.html',
        '',
      ),
      fc.string({ maxLength: 12 }),
      fc.webPath(),
    );
    const url = fc.array(piece, { maxLength: 6 }).map((parts) => `/${parts.join('')}`);
    const ok = new Set<number | 'closed'>([200, 400, 403, 404, 405, 'closed']);
    await fc.assert(
      fc.asyncProperty(url, fc.constantFrom('GET', 'HEAD', 'PUT'), async (path, method) => {
        const status = await raw(path.replace(/[\r\n ]/g, '_'), method);
        expect(ok.has(status), `${method} ${JSON.stringify(path)} → ${status}`).toBe(true);
      }),
      { seed: 0x5e12e, numRuns: 1500 },
    );
    expect(await raw('/')).toBe(200); // still up
  }, 90_000);
});
