// `drivefm worker --queue redis://HOST:PORT`: runs jobs from the queue on this machine until stopped (SIGINT or
// SIGTERM finish the jobs in hand), logging each job and, every few seconds, the backlog with an ETA. Flags in.

import type { Command } from 'commander';
import { DEFAULT_LOCK_S, startQueueWorker, workerId } from '../jobs/queue.js';
import { parseRedisUrl, probeRedis } from '../jobs/redis-url.js';
import { JobStore } from '../jobs/store.js';
import { parseCount } from './flags.js';
import { addExamples } from './shape.js';

const STATUS_EVERY_MS = 5000; // [ms] between backlog lines

interface WorkerFlags {
  queue: string;
  store: string;
  lockSeconds: string;
  threads: string;
}

export function registerWorkerCommand(program: Command): void {
  const command = program
    .command('worker')
    .description('run jobs (evaluation episodes) from a Redis queue until stopped')
    .requiredOption('--queue <url>', 'the queue: redis://HOST:PORT')
    .option(
      '--store <dir>',
      'folder of job outputs keyed by content (shared storage lets workers reuse them)',
      'runs/jobs',
    )
    .option(
      '--lock-seconds <n>',
      "a killed worker's job returns to the queue after this",
      String(DEFAULT_LOCK_S),
    )
    .option('--threads <n>', 'jobs run at once, each on its own worker thread (one per free core)', '1');
  addExamples(command, 'drivefm worker --queue redis://127.0.0.1:6379 --store runs/jobs --threads 2');
  command.action(async (flags: WorkerFlags) => {
    const address = parseRedisUrl(flags.queue);
    const lockSeconds = parseCount(flags.lockSeconds, '--lock-seconds', 1);
    const threads = parseCount(flags.threads, '--threads', 1);
    await probeRedis(address);
    // Jobs already waiting start before startQueueWorker returns: the log cannot wait for `worker`.
    const id = workerId();
    const log = (line: string) => process.stderr.write(`worker ${id}: ${line}\n`);
    const worker = await startQueueWorker(address, {
      store: new JobStore(flags.store),
      lockSeconds,
      threads,
      onJob: (event, key) => log(`${event} ${key}`),
    });
    log(`ready on ${address.url} (queue ${worker.queue}, ${threads} thread(s)), outputs in ${flags.store}`);
    const started = Date.now();
    const status = setInterval(async () => {
      const { waiting, active } = await worker.backlog();
      const rate = worker.done() / ((Date.now() - started) / 1000); // [jobs/s] of this worker
      const eta = rate > 0 ? `, eta ${((waiting + active) / rate).toFixed(0)} s at this worker's rate` : '';
      log(
        waiting + active === 0
          ? `${worker.done()} jobs done; waiting for jobs`
          : `${worker.done()} jobs done; queue ${waiting} waiting, ${active} active${eta}`,
      );
    }, STATUS_EVERY_MS);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(status);
    log('stopping after the job in hand');
    await worker.close();
  });
}
