// Queue benchmark: closed-loop episodes of the expert per second through BullMQ on a local redis-server, with one
// and with two `drivefm worker` processes on the same episodes (a fresh server and store each, workers warmed up
// first), their ratio, and whether both gave the same bytes. Prints one JSON line. Not the thread pool (bench:eval).

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateSpec } from '../src/eval/closed-loop.js';
import { suiteJson } from '../src/eval/report.js';
import { episodeScorer } from '../src/jobs/episodes.js';
import {
  killNow,
  RedisServerMissingError,
  startLocalRedis,
  startWorkerProcess,
} from '../src/jobs/processes.js';
import { QueueRunner } from '../src/jobs/queue.js';
import { parseRedisUrl } from '../src/jobs/redis-url.js';
import { loadSuite } from '../src/sim/suites.js';

const SUITE = 'wide'; // 180 episodes of every family: long enough that start-up and round trips are a small share
const WARMUP_SUITE = 'longtail'; // other episodes, two per worker: each worker's job thread is started before timing

/** Episodes per wall second with `workers` worker processes, and the result's JSON. */
async function episodesPerSecond(workers: number): Promise<{ rate: number; json: string }> {
  const redis = await startLocalRedis();
  const store = mkdtempSync(join(tmpdir(), 'drivefm-bench-queue-'));
  const children = [];
  const runner = new QueueRunner(parseRedisUrl(redis.url));
  try {
    for (let i = 0; i < workers; i++)
      children.push((await startWorkerProcess(redis.url, ['--store', store])).child);
    const scorer = episodeScorer(runner);
    await evaluateSpec(
      loadSuite(WARMUP_SUITE),
      { kind: 'expert' },
      { quiet: true, limit: 2 * workers, scorer },
    );
    const started = performance.now();
    const result = await evaluateSpec(loadSuite(SUITE), { kind: 'expert' }, { quiet: true, scorer });
    const seconds = (performance.now() - started) / 1000;
    return { rate: result.summary.episodes / seconds, json: JSON.stringify(suiteJson(result)) };
  } finally {
    await runner.close();
    children.forEach(killNow);
    redis.stop();
    rmSync(store, { recursive: true, force: true });
  }
}

try {
  const load = loadavg()[0]!; // the machine may be shared: with more runnable threads than cores, 2 workers gain little
  const one = await episodesPerSecond(1);
  const two = await episodesPerSecond(2);
  console.log(
    JSON.stringify({
      suite: SUITE,
      episodes_per_s_1_worker: Number(one.rate.toFixed(2)),
      episodes_per_s_2_workers: Number(two.rate.toFixed(2)),
      ratio_2_to_1: Number((two.rate / one.rate).toFixed(2)),
      same_bytes: one.json === two.json,
      cores: availableParallelism(),
      load_average: Number(load.toFixed(1)),
    }),
  );
} catch (error) {
  if (!(error instanceof RedisServerMissingError)) throw error;
  process.stderr.write(`bench:queue: ${error.message}\n`);
  process.exit(2);
}
