// The watchdog of one decision: times the model's answer on the injected clock and calls it late past the budget.
// Not a pre-emptive timer: the sync session cannot be interrupted, so a late answer is discarded when it arrives
// (in the simulator the world waits for it; the car would have fallen back at the deadline and driven the same).

import type { Clock } from './clock.js';

export type Timed<T> =
  | { readonly kind: 'answer'; readonly value: T; readonly ms: number; readonly late: boolean }
  | { readonly kind: 'error'; readonly error: unknown; readonly ms: number };

export class Watchdog {
  constructor(
    private readonly clock: Clock,
    readonly budgetMs: number, // [ms] per decision
  ) {}

  /** Runs `answer`, measuring it [ms]; an exception is reported, not thrown (the car must keep driving). */
  time<T>(answer: () => T): Timed<T> {
    const started = this.clock.now();
    try {
      const value = answer();
      const ms = this.clock.now() - started;
      return { kind: 'answer', value, ms, late: ms > this.budgetMs };
    } catch (error) {
      return { kind: 'error', error, ms: this.clock.now() - started };
    }
  }
}
