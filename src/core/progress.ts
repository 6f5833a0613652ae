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

/** `12.3/s` or `4.1 s each`: the mean rate of `done` units in `seconds`, whichever reads better. */
export function rateText(done: number, seconds: number): string {
  if (done <= 0 || seconds <= 0) return '-/s';
  const perSecond = done / seconds;
  return perSecond >= 1 ? `${perSecond.toFixed(1)}/s` : `${(seconds / done).toFixed(1)} s each`;
}

/** Starts a progress report for `total` units of work, labelled `label`; `quiet` prints nothing. */
export function startProgress(label: string, total: number, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet || total <= 0) return { tick() {}, stop() {} };
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000; // [s]
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `${label} [{bar}] {percentage}% {value}/{total} {rate} eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
    });
    let done = 0;
    bar.start(total, 0, { rate: rateText(0, 0) });
    let stopped = false;
    return {
      tick: (n = 1) => {
        done += n;
        bar.increment(n, { rate: rateText(done, elapsed()) });
      },
      stop: () => {
        if (!stopped) bar.stop();
        stopped = true;
      },
    };
  }
  let done = 0;
  let nextReport = total / PLAIN_LINES;
  return {
    tick(n = 1) {
      done += n;
      if (done >= nextReport && done < total) {
        const seconds = elapsed();
        const eta = (seconds / done) * (total - done); // [s] at the mean rate so far
        process.stderr.write(
          `${label}: ${done}/${total} (${seconds.toFixed(1)} s, ${rateText(done, seconds)}, eta ${eta.toFixed(0)} s)\n`,
        );
        nextReport += total / PLAIN_LINES;
      }
    },
    stop() {
      if (done >= 0) {
        const seconds = elapsed();
        process.stderr.write(
          `${label}: done ${done}/${total} in ${seconds.toFixed(1)} s (${rateText(done, seconds)})\n`,
        );
      }
      done = -1;
    },
  };
}
