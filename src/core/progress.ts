// Progress reporting for long work: a bar on an interactive terminal, a few plain lines otherwise (CI, pipes).
// Not a logger: it only ever writes to stderr, so stdout stays clean for --json output.

import { SingleBar } from 'cli-progress';

export interface Progress {
  /** Advances by `n` units (default 1). */
  tick(n?: number): void;
  /** Finishes the bar; safe to call twice. */
  stop(): void;
}

const PLAIN_LINES = 10; // how many progress lines a non-interactive run prints per task

/** Starts a progress report for `total` units of work, labelled `label`; `quiet` prints nothing. */
export function startProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total <= 0) return { tick() {}, stop() {} };
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% {value}/{total} eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    });
    bar.start(total, 0);
    let stopped = false;
    return {
      tick: (n = 1) => bar.increment(n),
      stop: () => {
        if (!stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let done = 0;
  let nextReport = total / PLAIN_LINES;
  const started = Date.now();
  return {
    tick(n = 1) {
      done += n;
      if (done >= nextReport && done < total) {
        const elapsed = (Date.now() - started) / 1000; // [s]
        const eta = (elapsed / done) * (total - done); // [s] at the mean rate so far
        process.stderr.write(
          `${label}: ${done}/${total} (${elapsed.toFixed(1)} s, eta ${eta.toFixed(0)} s)\n`,
        );
        nextReport += total / PLAIN_LINES;
      }
    },
    stop() {
      if (done >= 0)
        process.stderr.write(
          `${label}: done ${done}/${total} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
        );
      done = -1;
    },
  };
}
