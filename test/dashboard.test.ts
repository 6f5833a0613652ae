import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/dashboard/server.js';

// A half-written run: a report but no lake, models or steps yet. Screenshots go to test-artefacts/ (gitignored).
const ARTEFACTS = join(import.meta.dirname, '..', 'test-artefacts');
const run = join(mkdtempSync(join(tmpdir(), 'dashboard-e2e-')), 'run');
mkdirSync(run);
const stage = (name: string, lossBefore: number, lossAfter: number) => ({
  ...{ model: 'teacher', stage: name, steps: 10, lossBefore, lossAfter, l2At4s: 1, cotLength: 9 },
  ...Object.fromEntries(
    ['qa', 'lightState', 'actionTokens', 'adherence', 'cotTokens'].map((k) => [k, { n: 1, accuracy: 1 }]),
  ),
});
writeFileSync(
  join(run, 'report.json'),
  JSON.stringify({
    preset: 'tiny',
    expertEpdms: 0.9,
    stages: [stage('pretrain', 6, 4), stage('align', 4, 3)],
    closedLoop: [
      {
        ...{ model: 'student', stage: 'instruct', mode: 'fast', suite: 'standard' },
        ...{ episodes: 3, epdms: 0.4321, pdms: 0.5, atFaultCollisions: 1 },
      },
    ],
  }),
);

let server: Server;
let url: string;
let browser: Browser;
beforeAll(async () => {
  ({ server, url } = await serve({ run, host: '127.0.0.1', port: 0, allowRemote: false }));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(join(run, '..'), { recursive: true, force: true });
});

describe('the dashboard page in headless Chromium', () => {
  it('shows the scores and loss chart of a half-written run and says what is missing', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await expect.poll(() => page.locator('#closed td').allTextContents()).toContain('0.432');
    const points = await page.locator('#losses polyline').getAttribute('points');
    expect(points?.split(' ')).toHaveLength(4); // two stages, before and after each
    expect(await page.locator('#missing').textContent()).toContain('missing: steps.json');
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'dashboard.png'), fullPage: true });
  }, 60_000);
});
