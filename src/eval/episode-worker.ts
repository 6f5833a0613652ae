// The entry of an evaluation worker thread (started by workers.ts): builds its driver from the spec it was given
// and scores each episode it is sent. Not the pool (workers.ts) nor the scoring (closed-loop.ts).

import { parentPort, workerData } from 'node:worker_threads';
import type { Driver } from '../sim/types.js';
import { scoreWith } from './closed-loop.js';
import { driverFactory } from './driver-spec.js';
import { type EpisodeReply, type EpisodeRequest, oneLine, type WorkerSetup } from './workers.js';

const port = parentPort;
if (!port) throw new Error('episode-worker.ts runs only as a worker thread');
const { spec } = workerData as WorkerSetup;
let makeDriver: (() => Driver) | null = null; // built at the first episode, so a failure names it

port.on('message', (request: EpisodeRequest) => {
  let reply: EpisodeReply;
  try {
    makeDriver ??= driverFactory(spec);
    const driver = makeDriver();
    reply = { kind: 'score', index: request.index, driver: driver.name, score: scoreWith(driver, request) };
  } catch (error) {
    reply = { kind: 'error', index: request.index, ...oneLine(error) };
  }
  port.postMessage(reply);
});
