// The entry of an evaluation worker thread (started by workers.ts): builds its driver from the spec it was given
// and scores each episode it is sent. Not the pool (workers.ts) nor the scoring (closed-loop.ts).

import { parentPort, workerData } from 'node:worker_threads';
import { isInstrumented } from '../runtime/stats.js';
import type { Driver } from '../sim/types.js';
import { scoreWith } from './closed-loop.js';
import { driverFactory } from './driver-spec.js';
import { type EpisodeReply, type EpisodeRequest, oneLine, type WorkerSetup } from './workers.js';

const port = parentPort;
if (!port) throw new Error('episode-worker.ts runs only as a worker thread');
const { spec } = workerData as WorkerSetup;

/**
 * The driver maker, or the reply that says why there is none (sent instead of the first score). Its drivers are
 * not disposed here: the pool terminates this thread, and the threads a model driver started with it.
 */
async function setUp(): Promise<{ makeDriver: () => Driver } | { failed: EpisodeReply }> {
  try {
    return { makeDriver: (await driverFactory(spec)).make };
  } catch (error) {
    return { failed: { kind: 'error', index: -1, ...oneLine(error) } };
  }
}

const setup = await setUp(); // requests that arrive meanwhile wait in the port's queue
if ('failed' in setup) port.postMessage(setup.failed);
else {
  const { makeDriver } = setup;
  port.on('message', (request: EpisodeRequest) => {
    let reply: EpisodeReply;
    try {
      const driver = makeDriver();
      const score = scoreWith(driver, request);
      const stats = isInstrumented(driver) ? driver.episodeStats() : undefined;
      reply = { kind: 'score', index: request.index, driver: driver.name, score, stats };
    } catch (error) {
      reply = { kind: 'error', index: request.index, ...oneLine(error) };
    }
    port.postMessage(reply);
  });
}
