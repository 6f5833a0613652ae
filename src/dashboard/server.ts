// The dashboard's HTTP server: serves the plain page (static/, no build step) and the files of one run folder,
// read-only, on a loopback address unless told otherwise. Not what the page shows (static/) nor the run's steps.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';
import { safeFile } from './safe-path.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

/** The files the page expects in a run folder, and what writes each: listed as missing until they exist. */
const EXPECTED = {
  'steps.json': 'drivefm run (the steps finished so far)',
  'report.json': "drivefm run's report step",
  'summary.json': "drivefm run's report step",
  'times.json': 'drivefm run (wall times)',
  lake: "drivefm run's data step",
  models: "drivefm run's training steps",
} as const;

export interface ServeOptions {
  readonly run: string; // run folder
  readonly host: string;
  readonly port: number; // 0: any free port
  readonly allowRemote: boolean; // bind a non-loopback address
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What the page's index shows: which expected files exist, and the models' checkpoint folders. */
export function runIndex(run: string): Record<string, unknown> {
  const missing = Object.entries(EXPECTED)
    .filter(([f]) => !existsSync(join(run, f)))
    .map(([file, writer]) => ({ file, writer }));
  const folders = (dir: string) =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
      : [];
  const models = folders(join(run, 'models')).flatMap((m) =>
    folders(join(run, 'models', m)).map((stage) => `${m}/${stage}`),
  );
  return { run, missing, models };
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
  const server = createServer((req, res) => {
    const raw = (req.url ?? '/').split('?')[0]!;
    const send = (code: number, type: string, body: string | Buffer) => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    if (raw === '/') return send(200, TYPES['.html']!, readFileSync(join(STATIC_DIR, 'index.html')));
    if (raw === '/api/index') return send(200, TYPES['.json']!, JSON.stringify(runIndex(o.run)));
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
