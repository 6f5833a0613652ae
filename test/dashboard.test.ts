import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '../src/dashboard/server.js';
import { driveEpisode } from '../src/eval/closed-loop.js';
import { saveEpisode } from '../src/eval/episode-record.js';
import { ExpertDriver } from '../src/sim/agents/expert/expert.js';

// A half-written run: a report, per-step curves and two recorded episodes (the expert driving, with a hand-made
// trace standing in for a model's tokens and reasoning), but no lake or steps yet; a round-1 folder with one
// episode. Screenshots go to test-artefacts/ (gitignored).
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
mkdirSync(join(run, 'curves', 'teacher'), { recursive: true });
writeFileSync(join(run, 'curves', 'teacher', 'pretrain.json'), JSON.stringify({ losses: [6, 5.5, 5, 4.2] }));
const EVAL = 'teacher-instruct-think';
const cotAt = (step: number) => `pedestrian on the crosswalk at step ${step}, slow down`;
for (const [root, family, seed] of [
  ['', 'jaywalker', 1],
  ['', 'red-light-runner', 0],
  ['round-1', 'jaywalker', 1],
] as const) {
  const driven = driveEpisode(new ExpertDriver(), { family, seed });
  const replans = Array.from({ length: 30 }, (_, k) => ({
    step: 5 * k,
    reasoning: cotAt(5 * k),
    bins: Int32Array.from({ length: 16 }, (_, i) => (i * 7 + k) % 32),
    seconds: 0.004 + k * 1e-4,
    entropy: 0, // [nats] not read by the records
  }));
  saveEpisode(join(run, root), EVAL, driven, 'expert', { mode: 'think', replans });
}

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

// Run in the page (as text: this project's TypeScript has no DOM library).
const DRAWN_PIXELS = `(() => {
  const canvas = document.getElementById('replay-canvas');
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let drawn = 0; // pixels other than the background, #24331f
  for (let i = 0; i < data.length; i += 4) if (data[i] !== 0x24 || data[i + 1] !== 0x33 || data[i + 2] !== 0x1f) drawn++;
  return drawn;
})()`;
const CANVAS_URL = `document.getElementById('replay-canvas').toDataURL()`;
const CAMERA_WIDTH = `(async () => { const img = document.getElementById('camera'); await img.decode(); return img.naturalWidth; })()`;

describe('the dashboard page in headless Chromium', () => {
  it('shows the scores, curves and intervals of a half-written run and says what is missing', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#closed td').allTextContents()).toContain('0.432');
    const points = await page.locator('#losses polyline').first().getAttribute('points');
    expect(points?.split(' ')).toHaveLength(4); // the four per-step losses of teacher pretrain
    const missing = await page.locator('#missing').textContent();
    expect(missing).toContain('run: missing steps.json');
    expect(missing).toContain('run: missing lake');
    expect(await page.locator('#lake').textContent()).toContain('no lake in this run yet');
    const scores = await page.locator('#scores').textContent();
    expect(scores).toContain(`run ${EVAL} (2 ep.)`);
    expect(scores).toContain(`round-1 ${EVAL} (1 ep.)`);
    expect(await page.locator('#rounds').textContent()).toContain('round-1');
    await page.close();
  }, 60_000);

  it('replays an episode: the canvas draws, the decision shows its CoT, the slider moves the scene', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#episode', `|${EVAL}|jaywalker-1`);
    await page.waitForSelector('#replay-canvas');
    const drawn = await page.evaluate<number>(DRAWN_PIXELS);
    expect(drawn).toBeGreaterThan(10_000); // roads, lanes and agents over the 720 x 480 background
    expect(await page.locator('#cot').textContent()).toBe(cotAt(0));
    const before = await page.evaluate<string>(CANVAS_URL);
    await page.locator('#time').fill('42'); // the slider, as a user drags it
    expect(await page.locator('#clock').textContent()).toBe('t = 4.2 s');
    expect(await page.evaluate<string>(CANVAS_URL)).not.toBe(before);
    expect(await page.locator('#cot').textContent()).toBe(cotAt(40)); // the decision shown at 4.2 s: made at 4.0 s
    expect(await page.locator('#latency').textContent()).toBe('latency: 4.8 ms');
    expect(await page.locator('#fallback').textContent()).toBe('fallback: none');
    expect(await page.locator('#tokens').textContent()).toMatch(/^\d+( \d+){15}$/);
    await page.locator('#next').click();
    expect(await page.locator('#time').inputValue()).toBe('45');
    const camera = await page.evaluate<number>(CAMERA_WIDTH);
    expect(camera).toBe(128);
    expect(await page.locator('#metrics-chart polyline').count()).toBe(10); // one row per sub-metric
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'dashboard-replay.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
