// Hand-built clip records for the lake's tests (every table gets rows, metrics are chosen by the caller), and
// generation deps on a hand-built road. Test support only; generation builds real records from the simulator.

import { unicycle } from '../labels/fixtures.js';
import { LABEL_CATEGORIES, type QaPair } from '../labels/qa.js';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from '../sim/metrics/fixtures.js';
import type { EpisodeLog, Scenario, ScenarioFamily } from '../sim/types.js';
import type { GenerateDeps } from './generate.js';
import type { ClipMetrics, ClipRecord, FrameRecord } from './records.js';

export const GOOD_METRICS: ClipMetrics = {
  progress: 120,
  collisions: 0,
  redLightViolations: 0,
  offroad: false,
  comfortable: true,
  pdms: 0.95,
  epdms: 0.93,
};

function frame(step: number, seed: number): FrameRecord {
  const qa: QaPair[] = LABEL_CATEGORIES.map((category) => ({
    category,
    key: `${category}_fact`,
    question: `What about ${category}?`,
    answer: `${seed}`,
  }));
  return {
    step,
    t: step * 0.1,
    camera: Uint8Array.from({ length: 48 }, (_, i) => (i + step + seed) % 256),
    bev: Uint8Array.of(step % 256, seed % 256, 7),
    ego: { speed: 8, accel: -0.5, yawRate: 0.01 },
    instruction: { navigation: 'follow', behaviour: 'keep-lane', text: 'Follow the road. Keep your lane.' },
    labels: {
      static: {
        laneId: 0,
        laneIndex: 1,
        laneCount: 1,
        onJunction: false,
        speedLimit: 13.9,
        stopLines: [{ distance: 40, signalised: true }],
        crosswalks: [],
      },
      dynamic: { participants: [] },
      trajectory: { ego: Float32Array.of(4, 0, 8, 0), agents: [] },
      occupancy: { grid: Uint8Array.of(0, 1, 0, 0) },
      tsl: { lightId: 0, state: 'red', distance: 40, timeToChange: 5 },
      tfl: {
        density: 0,
        meanSpeed: 0,
        queueVehicles: 0,
        queueLength: 0,
        level: 'empty',
        sentence: 'Empty road.',
      },
    },
    qa,
    cot: {
      speed: 'stop',
      path: 'straight',
      critical: [1, 2],
      long: 'Red light 40 m ahead. Rule: stop at a red light. Decision: decelerate to stop before the line.',
      short: 'red 40m; stop',
    },
    actions: Int32Array.from({ length: 16 }, (_, i) => (i * 3 + step) % 32),
  };
}

/** A clip of `frames` frames; its id is made from family and seed so tests can predict it. */
export function fakeClip(
  family: ScenarioFamily,
  seed: number,
  options: { frames?: number; metrics?: Partial<ClipMetrics> } = {},
): ClipRecord {
  return {
    clipId: `${family}-${seed}`,
    family,
    seed,
    generator: 1,
    source: 'expert',
    scenarioInstruction: 'Follow the road.',
    metrics: { ...GOOD_METRICS, ...options.metrics },
    frames: Array.from({ length: options.frames ?? 3 }, (_, k) => frame(k * 10, seed)),
  };
}

export const FAKE_BURST = { start: 10, end: 20 }; // [steps] of every fake perturbed episode

/** An 80-step episode on the hand-built two-way road: ego's speed depends on the seed, a slower car ahead. */
export function fakeExpertLog(scenario: Scenario): EpisodeLog {
  return buildLog({
    steps: 80,
    agents: [straightMotion(10, 6 + (scenario.seed % 7), -0.5), straightMotion(60, 4)],
  });
}

/** Generation deps without a lake, on the hand-built road, with tiny fake sensor bytes. */
export function fakeSimDeps(): Omit<GenerateDeps, 'openLake'> {
  return {
    createScenario: (family: ScenarioFamily, seed: number) => ({ ...scenarioOn(twoWayRoad()), family, seed }),
    expertLog: fakeExpertLog,
    perturbedExpertLog: (scenario) => ({ log: fakeExpertLog(scenario), bursts: [FAKE_BURST] }),
    clipMetrics: (scenario) => ({ ...GOOD_METRICS, progress: scenario.seed % 100 }),
    kinematics: unicycle,
    render: (_s, _l, step) => ({ camera: Uint8Array.of(step, 1), bev: Uint8Array.of(step, 2) }),
  };
}
