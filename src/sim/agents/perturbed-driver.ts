// DART-style perturbations: short bursts of steering and throttle noise on a driver's commands, so that an
// expert's demonstration also shows it recovering from the off-centre, off-speed states a learner drifts into.
// Not the expert itself (expert/) and not which frames of a perturbed episode are kept (data/generate.ts).

import { Rng } from '../../core/rng.js';
import type { Driver, DriverOutput, Scenario, WorldState } from '../types.js';
import { DT } from '../types.js';
import { maxCurvature } from './bicycle.js';

const BURST_STEPS = 10; // [steps] 1 s of noise
const FIRST_BURST = [10, 30] as const; // [steps] range the first burst starts in
const CALM_STEPS = 40; // [steps] noise-free after a burst: a whole 4 s plan of recovery
const EXTRA_CALM = 4; // up to this many extra `alignment` periods of calm, drawn per burst
const DRIFT = [0.3, 1.0] as const; // [m] sideways drift a burst aims at (either side)
const MIN_SPEED = 4; // [m/s] the drift's curvature is computed at least at this speed
const ACCEL_NOISE = 1.5; // [m/s2] the throttle offset of a burst is drawn in +-this

/** Steps [start, end) during which the commands were perturbed. */
export interface Burst {
  readonly start: number;
  readonly end: number;
}

/** The burst schedule of an episode of `horizon` steps: bursts end on multiples of `alignment` steps. */
export function burstSchedule(horizon: number, alignment: number, rng: Rng): Burst[] {
  const bursts: Burst[] = [];
  const align = (step: number) => Math.ceil(step / alignment) * alignment;
  let end = align(FIRST_BURST[0] + rng.int(FIRST_BURST[1] - FIRST_BURST[0] + 1) + BURST_STEPS);
  while (end <= horizon) {
    bursts.push({ start: end - BURST_STEPS, end });
    end += CALM_STEPS + alignment * rng.int(EXTRA_CALM + 1) + BURST_STEPS;
    end = align(end);
  }
  return bursts;
}

/**
 * Wraps a driver and, during each burst, holds the steering it commanded when the burst began plus an offset that
 * drifts the car DRIFT metres sideways over the burst (at its speed then), and adds a constant offset to its
 * acceleration (which stays its own, so it still brakes for hazards). The wrapped driver sees every state and
 * keeps its own memory, so after a burst it steers back as it would on its own.
 */
export class PerturbedDriver implements Driver {
  readonly name: string;
  private bursts: Burst[] = [];
  private curvature = 0; // [1/m] held through the burst
  private accelOffset = 0; // [m/s2]
  private rng = new Rng(0); // the offsets' stream, reset per episode

  constructor(
    private readonly inner: Driver,
    private readonly alignment: number, // [steps] bursts end on multiples of this (the frame sampling period)
  ) {
    this.name = `${inner.name}+perturbed`;
  }

  /** This episode's bursts (drawn at reset from the scenario's seed). */
  get schedule(): readonly Burst[] {
    return this.bursts;
  }

  reset(scenario: Scenario): void {
    this.inner.reset(scenario);
    this.bursts = burstSchedule(scenario.horizon, this.alignment, new Rng(scenario.seed).fork(0x9e37));
    this.rng = new Rng(scenario.seed).fork(0x7f4a);
  }

  act(scenario: Scenario, state: WorldState): DriverOutput {
    const out = this.inner.act(scenario, state);
    const burst = this.bursts.find((b) => state.step >= b.start && state.step < b.end);
    if (!burst) return out;
    if (state.step === burst.start) this.drawOffsets(state, out.action.curvature);
    return { ...out, action: { accel: out.action.accel + this.accelOffset, curvature: this.curvature } };
  }

  /** The burst starting now: drifting d sideways over T seconds at speed v takes curvature 2d / (v T)^2. */
  private drawOffsets(state: WorldState, curvature: number): void {
    const drift = this.rng.uniform(DRIFT[0], DRIFT[1]) * (this.rng.chance(0.5) ? 1 : -1); // [m]
    const reach = Math.max(state.agents.speed[0], MIN_SPEED) * BURST_STEPS * DT; // [m] v T
    const limit = maxCurvature(state.agents.length[0]);
    this.curvature = Math.max(-limit, Math.min(limit, curvature + (2 * drift) / (reach * reach)));
    this.accelOffset = this.rng.uniform(-ACCEL_NOISE, ACCEL_NOISE);
  }
}
