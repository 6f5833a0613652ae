import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateSpec } from '../eval/closed-loop.js';
import { suiteJson } from '../eval/report.js';
import { loadSuite } from '../sim/suites.js';
import { episodeScorer } from './episodes.js';
import { canonicalJson, type Job, jobKey } from './job.js';
import { parseRedisUrl } from './redis-url.js';
import { InProcessRunner } from './runner.js';
import { JobStore } from './store.js';

const job: Job = { kind: 'episode', spec: { kind: 'expert' }, episode: { family: 'cut-in', seed: 3 } };

describe('jobs', () => {
  it('keys a job by its content, whatever the order of its fields', () => {
    const reordered = {
      episode: { seed: 3, family: 'cut-in' },
      spec: { kind: 'expert' },
      kind: 'episode',
    } as Job;
    expect(jobKey(reordered)).toBe(jobKey(job));
    expect(jobKey({ ...job, episode: { family: 'cut-in', seed: 4 } })).not.toBe(jobKey(job));
    expect(jobKey(job)).toMatch(/^[0-9a-f]{32}$/);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('gives the same result bytes as the local evaluation, writing each distinct job once', async () => {
    const suite = loadSuite('standard');
    const local = await evaluateSpec(suite, { kind: 'expert' }, { quiet: true, limit: 3 });
    const store = new JobStore(mkdtempSync(join(tmpdir(), 'drivefm-jobs-')));
    const runner = new InProcessRunner(store);
    const viaJobs = await evaluateSpec(
      suite,
      { kind: 'expert' },
      { quiet: true, limit: 3, scorer: episodeScorer(runner) },
    );
    expect(JSON.stringify(suiteJson(viaJobs))).toBe(JSON.stringify(suiteJson(local)));
    expect(store.keys('episode')).toHaveLength(3);
    // Repeated and duplicated jobs: read back from the store, the file's bytes untouched, one output per job.
    const first = suite.episodes[0]!;
    const again: Job = { kind: 'episode', spec: { kind: 'expert' }, episode: first };
    const before = readFileSync(store.pathOf(again));
    let ticks = 0;
    const outputs = await runner.run([again, again], () => ticks++);
    expect(ticks).toBe(2);
    expect(outputs[0]).toEqual(outputs[1]);
    expect(outputs[0]!.score).toEqual(local.episodes[0]);
    expect(readFileSync(store.pathOf(again)).equals(before)).toBe(true);
    expect(store.keys('episode')).toHaveLength(3);
    await runner.close();
  });

  it('refuses a queue address that is not redis://HOST:PORT, and an unreachable server in one line (exit 2)', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379')).toMatchObject({ host: '127.0.0.1', port: 6379 });
    expect(() => parseRedisUrl('http://x:1')).toThrow(
      /--queue: expected redis:\/\/HOST:PORT, got 'http:\/\/x:1'/,
    );
    expect(() => parseRedisUrl('redis://x:70000')).toThrow(/expected redis/);
    // Port 1 on loopback: nothing listens there without root.
    const run = spawnSync(process.execPath, ['bin/drivefm.js', 'worker', '--queue', 'redis://127.0.0.1:1'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^drivefm: --queue redis:\/\/127\.0\.0\.1:1: cannot reach Redis \(ECONNREFUSED\)/,
    );
  });
});
