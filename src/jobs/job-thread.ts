// The entry of a job thread (started by threads.ts): runs each job it is sent with its own JobContext, one at a
// time, and sends back the output or the error in one line. Not the pool (threads.ts) nor the job kinds (job.ts).

import { parentPort } from 'node:worker_threads';
import { oneLine } from '../eval/workers.js';
import { JobContext } from './job.js';
import type { ThreadReply, ThreadRequest } from './threads.js';

const port = parentPort;
if (!port) throw new Error('job-thread.ts runs only as a worker thread');
const context = new JobContext(); // drivers stay loaded for the jobs that follow; the pool terminates the thread

// The pool sends a thread its next job only after the reply to the last one, so jobs never overlap here.
port.on('message', async ({ id, job }: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = { kind: 'output', id, output: await context.run(job) };
  } catch (error) {
    reply = { kind: 'error', id, ...oneLine(error) };
  }
  port.postMessage(reply);
});
