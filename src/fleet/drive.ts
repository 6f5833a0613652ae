// The fleet's driving: N cars, each a scenario drawn from the recipe's mix, driven by the car model (with the
// teacher in shadow beside it), in this thread or over worker threads; the same seed gives the same rollouts
// for any number of workers. Not the triggers (triggers/) nor what is uploaded (upload.ts).

import { hash32, Rng } from '../core/rng.js';
import { scenarioSeed } from '../data/seeds.js';
import { EvalWorkerError, mapInWorkers } from '../eval/workers.js';
import { runEpisode } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import type { EpisodeLog, ScenarioFamily } from '../sim/types.js';
import { type CarSpec, type CarTelemetry, type FleetCar, loadCar, ShadowCar } from './car.js';
import type { FleetRecipe } from './fleet-recipe.js';

/** The scenario one car drives in a round. */
export interface CarEpisode {
  readonly family: ScenarioFamily;
  readonly seed: number;
}

/** What a car brings back: its episode and its telemetry. */
export interface FleetRollout extends CarEpisode {
  readonly log: EpisodeLog;
  readonly telemetry: CarTelemetry;
}

/** What every fleet worker starts with: the car, and the teacher that shadows it (null: no shadow mode). */
export interface FleetSetup {
  readonly car: CarSpec;
  readonly teacher: CarSpec | null;
}

/**
 * The round's cars: car i draws its family from the mix by weight and drives a training-split scenario seed
 * of (base seed, round, i). Another round or base seed drives other scenarios.
 */
export function planFleet(
  recipe: Pick<FleetRecipe, 'cars' | 'mix'>,
  baseSeed: number,
  round: number,
): CarEpisode[] {
  const rng = new Rng(hash32(hash32(baseSeed) ^ (round + 1)));
  const total = recipe.mix.reduce((sum, m) => sum + m.weight, 0);
  return Array.from({ length: recipe.cars }, (_, index) => {
    const family = weightedPick(recipe.mix, rng.uniform(0, total));
    return { family, seed: scenarioSeed(family, 'train', { baseSeed, purpose: 'fleet', round, index }) };
  });
}

/** The mix entry whose share of the cumulative weight holds `draw` (in [0, total weight)). */
function weightedPick(mix: FleetRecipe['mix'], draw: number): ScenarioFamily {
  let below = 0; // [weight] of the entries before this one
  for (const m of mix) {
    below += m.weight;
    if (draw < below) return m.family;
  }
  return mix.at(-1)!.family; // rounding left draw a hair above the total
}

/** The car of a setup: the car model, wrapped in shadow mode when there is a teacher. */
export function makeCar(setup: FleetSetup): FleetCar {
  const car = loadCar(setup.car);
  return setup.teacher ? new ShadowCar(car, loadCar(setup.teacher)) : car;
}

/** One car's episode: the scenario driven for its horizon, and what the car reported. */
export function driveOne(car: FleetCar, { family, seed }: CarEpisode): FleetRollout {
  const log = runEpisode(createScenario(family, seed), car);
  return { family, seed, log, telemetry: car.telemetry() };
}

const ENTRY = new URL('./drive-worker.ts', import.meta.url).href;

/** Drives every episode over `workers` threads (1: this thread); rollouts in the order of `episodes`. */
export async function driveFleet(
  setup: FleetSetup,
  episodes: readonly CarEpisode[],
  workers: number,
  onDone: () => void,
): Promise<FleetRollout[]> {
  if (workers > 1) {
    const fail = (e: CarEpisode | null, code: string, message: string) =>
      new EvalWorkerError(e, code, message);
    return mapInWorkers<CarEpisode, FleetRollout>(ENTRY, setup, episodes, workers, onDone, fail);
  }
  const car = makeCar(setup);
  try {
    return episodes.map((episode) => {
      const rollout = driveOne(car, episode);
      onDone();
      return rollout;
    });
  } finally {
    await car.dispose();
  }
}
