// A `--queue redis://HOST:PORT` address, parsed, and a quick check that a Redis server answers there.
// Not the queue (queue.ts): this only turns an unreachable server into one clear line before any work starts.

import { connect } from 'node:net';
import { DrivefmError, UsageError } from '../core/errors.js';

export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly url: string; // as given
}

const PROBE_TIMEOUT_MS = 3000; // [ms] a loopback or LAN server answers PING in well under this

/** Redis is not reachable at the address: a one-line input problem (exit 2), never a retry loop. */
export class QueueUnreachableError extends DrivefmError {
  constructor(
    readonly address: RedisAddress,
    reason: string,
  ) {
    super('E_QUEUE', `--queue ${address.url}: cannot reach Redis (${reason})`);
  }
}

export function parseRedisUrl(url: string): RedisAddress {
  const match = /^redis:\/\/([^:/\s]+):([0-9]{1,5})\/?$/.exec(url);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535)
    throw new UsageError(`--queue: expected redis://HOST:PORT, got '${url}'`);
  return { host: match[1]!, port, url };
}

/** Resolves when the server answers PING with PONG; else throws QueueUnreachableError. */
export function probeRedis(address: RedisAddress, timeoutMs = PROBE_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    let reply = '';
    const fail = (reason: string) => {
      socket.destroy();
      reject(new QueueUnreachableError(address, reason));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer in ${timeoutMs} ms`));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      socket.end();
      if (reply.startsWith('+PONG')) resolve();
      else fail(`answered '${reply.trim()}' to PING`);
    });
  });
}
