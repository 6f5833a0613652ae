// Micro benchmark of the sensors: camera + BEV frames per second on one thread, on the fixture road, a four-way
// signalised intersection (~200 m square, 20 agents), and highway-cruise / red-light-runner scenarios (closed
// loop through observe, ego holding speed). Run: npx vitest bench --run src/sensors. Not part of the unit tests (vitest run ignores *.bench.ts).

import { bench, describe } from 'vitest';
import { Rng } from '../core/rng.js';
import {
  type AgentMotion,
  buildLog,
  scenarioOn,
  straightMotion,
  twoWayRoad,
} from '../sim/metrics/fixtures.js';
import { lanePose } from '../sim/road/geometry.js';
import { buildIntersection } from '../sim/road/layouts/intersection.js';
import { createScenario } from '../sim/scenarios/index.js';
import { DT, type WorldState } from '../sim/types.js';
import { World } from '../sim/world.js';
import { observe, render } from './index.js';

const STEPS = 200;

function fixtureCase() {
  const agents = [straightMotion(20, 10)];
  for (let i = 0; i < 12; i++) agents.push(straightMotion(30 + i * 10, 8, 0, i % 2 ? 3.5 : 0));
  return {
    scenario: scenarioOn(twoWayRoad()),
    log: buildLog({ steps: STEPS, agents, lights: (_, t) => Math.floor(t / 50) % 3 }),
  };
}

function intersectionCase() {
  const { map, arms } = buildIntersection(
    { kind: 'four-way', lanes: 2, armLength: 80, green: 20 },
    new Rng(1),
  );
  const along = (laneId: number, s0: number, speed: number): AgentMotion => ({
    at: (t) => {
      const lane = map.lanes[laneId]!;
      const pose = lanePose(lane, Math.min(lane.length, s0 + speed * t * DT));
      return { x: pose.x, y: pose.y, heading: pose.heading, speed };
    },
  });
  const agents: AgentMotion[] = [along(arms[0]!.incoming[1]!, 0, 7)];
  for (let i = 1; i < 20; i++) {
    const arm = arms[i % arms.length]!;
    const lanes = i % 2 ? arm.incoming : arm.outgoing;
    agents.push(along(lanes[i % lanes.length]!, (i * 13) % 60, 5 + (i % 4)));
  }
  const scenario = scenarioOn(map, [arms[0]!.incoming[1]!]);
  const log = buildLog({
    steps: STEPS,
    agents,
    lights: (l, t) => (Math.floor(t / 40) + l) % 3,
    lightCount: map.lights.length,
  });
  return { scenario, log };
}

describe('camera + BEV per frame', () => {
  for (const [name, make] of [
    ['fixture road, 13 agents', fixtureCase],
    ['four-way intersection, 20 agents', intersectionCase],
  ] as const) {
    const { scenario, log } = make();
    render(scenario, log, 0); // builds the cached map textures outside the timing
    let step = 0;
    bench(name, () => {
      render(scenario, log, step);
      step = (step + 1) % (STEPS + 1);
    });
  }
});

describe('camera + BEV per closed-loop observation', () => {
  for (const family of ['highway-cruise', 'red-light-runner'] as const) {
    const scenario = createScenario(family, 7);
    const world = new World(scenario);
    const states: WorldState[] = [scenario.initial];
    for (let t = 0; t < STEPS; t++) states.push(world.step(states[t]!, { accel: 0, curvature: 0 }));
    observe(scenario, states[0]!); // builds the cached map textures outside the timing
    let step = 0;
    bench(`${family} seed 7, ${scenario.initial.agents.count} agents`, () => {
      observe(scenario, states[step]!);
      step = (step + 1) % states.length;
    });
  }
});
