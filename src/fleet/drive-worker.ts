// The entry of a fleet worker thread (started by drive.ts through eval/workers.ts's pool): builds its car once
// from the setup and drives each episode it is sent. Not the pool, nor the triggers.

import { parentPort, workerData } from 'node:worker_threads';
import { oneLine, type PoolReply, type PoolRequest } from '../eval/workers.js';
import { type CarEpisode, driveOne, type FleetRollout, type FleetSetup, makeCar } from './drive.js';

const port = parentPort;
if (!port) throw new Error('drive-worker.ts runs only as a worker thread');

type Reply = PoolReply<FleetRollout>;
let car: ReturnType<typeof makeCar> | null = null;
try {
  car = makeCar(workerData as FleetSetup);
} catch (error) {
  port.postMessage({ kind: 'error', index: -1, ...oneLine(error) } satisfies Reply);
}
if (car) {
  const built = car;
  port.on('message', (request: PoolRequest<CarEpisode>) => {
    let reply: Reply;
    try {
      reply = { kind: 'done', index: request.index, value: driveOne(built, request) };
    } catch (error) {
      reply = { kind: 'error', index: request.index, ...oneLine(error) };
    }
    port.postMessage(reply);
  });
}
