// The dashboard's HTTP server: serves the plain page (static/, no build step) and the files of one run folder,
// read-only, on a loopback address unless told otherwise. Not what the page shows (static/) nor the run's steps.

import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { lakeSummary, runIndex, runScores } from './run-data.js';
import { safeFile } from './safe-path.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

export interface ServeOptions {
  readonly run: string; // run folder
  readonly host: string;
  readonly port: number; // 0: any free port
  readonly allowRemote: boolean; // bind a non-loopback address
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts the server; resolves once it listens, with its URL. */
export async function serve(o: ServeOptions): Promise<{ server: Server; url: string }> {
  if (!isLoopback(o.host) && !o.allowRemote)
    throw new UsageError(`--host ${o.host} is not a loopback address: pass --allow-remote to bind it`);
  if (!existsSync(o.run)) throw new UsageError(`${o.run}: no such run folder`);
  const roots = new Map([
    ['run', o.run], // the run folder's files, read-only
    ['static', STATIC_DIR], // the page's scripts and styles
  ]);
  /** The /api/ answers; the lake's is computed once per server (DuckDB validates every file) unless asked again. */
  let lake: Promise<unknown> | null = null;
  const api: Record<string, (query: URLSearchParams) => unknown> = {
    '/api/index': () => runIndex(o.run),
    '/api/scores': () => runScores(o.run),
    '/api/lake': (query) => {
      if (!lake || query.has('fresh')) lake = lakeSummary(o.run);
      return lake;
    },
  };
  const server = createServer(async (req, res) => {
    const [raw = '/', search = ''] = (req.url ?? '/').split('?');
    const send = (code: number, type: string, body: string | Buffer) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    if (raw === '/') return send(200, TYPES['.html']!, readFileSync(join(STATIC_DIR, 'index.html')));
    const answer = api[raw];
    if (answer) {
      try {
        return send(200, TYPES['.json']!, JSON.stringify(await answer(new URLSearchParams(search))));
      } catch (error) {
        if (raw === '/api/lake') lake = null; // a half-written lake: ask again later
        const message = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
        return send(503, TYPES['.json']!, JSON.stringify({ error: message }));
      }
    }
    const [, area, ...rest] = raw.split('/');
    const root = roots.get(area ?? '');
    const file = root === undefined ? null : safeFile(root, rest.join('/'));
    if (!file) return send(404, 'text/plain', 'not found\n');
    send(200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot listen on ${o.host}:${o.port}: ${e.code ?? e.message}`, { cause: e })),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return { server, url: `http://${host}:${port}/` };
}
