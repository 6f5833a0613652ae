import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from './server.js';

const base = mkdtempSync(join(tmpdir(), 'dashboard-'));
const run = join(base, 'run');
mkdirSync(join(run, 'models', 'student', 'pretrain'), { recursive: true });
writeFileSync(join(run, 'models', 'README'), 'a stray file is no model');
writeFileSync(join(run, 'steps.json'), JSON.stringify({ steps: [{ name: 'simulate' }] }));
writeFileSync(join(base, 'secret.txt'), 'outside the run folder');
symlinkSync(join(base, 'secret.txt'), join(run, 'link.txt'));

let server: Server;
let url: string;
beforeAll(async () => {
  ({ server, url } = await serve({ run, host: '127.0.0.1', port: 0, allowRemote: false }));
});
afterAll(() => {
  server.close();
  rmSync(base, { recursive: true, force: true });
});

/** GET with the path sent as written (no client-side normalisation of '..'). */
function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('drivefm serve', () => {
  it('binds loopback and prints a URL; refuses another address without --allow-remote', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(serve({ run, host: '0.0.0.0', port: 0, allowRemote: false })).rejects.toThrow(
      /--allow-remote/,
    );
  });

  it('serves the page, the run index and the run folder files', async () => {
    expect((await get('/')).body).toContain('<h1>drivefm run');
    const index = JSON.parse((await get('/api/index')).body);
    expect(index.models).toEqual(['student/pretrain']);
    expect(index.missing.map((m: { file: string }) => m.file)).toContain('report.json');
    expect(JSON.parse((await get('/run/steps.json')).body).steps[0].name).toBe('simulate');
    expect((await get('/static/page.js')).status).toBe(200);
  });

  it.each([
    '/run/../../etc/passwd',
    '/run/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/run/%2e%2e/secret.txt',
    '/run//etc/passwd',
    '/run/%2Fetc%2Fpasswd',
    '/run/link.txt',
    '/run/models',
    '/run/%zz',
    '/elsewhere/steps.json',
  ])('answers 404 to %s', async (path) => {
    const r = await get(path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside the run folder');
  });
});
