// The clock the runtime measures decision latency with, injected so tests decide what is late. [ms]
// Not simulation time (sim steps of DT) and not a scheduler: nothing here sleeps or waits.

export interface Clock {
  /** [ms] a monotonic time; only differences mean anything. */
  now(): number;
}

/** The machine's monotonic clock (performance.now). */
export const systemClock: Clock = { now: () => performance.now() };

/** A clock that moves only when told: a test advances it inside a model call to make that answer late. */
export class ManualClock implements Clock {
  private ms = 0;

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
