import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { buildHighway } from '../road/layouts/highway.js';
import { initialState, onLane } from '../scenarios/cast.js';
import { AgentFlag, type Scenario } from '../types.js';
import { World } from '../world.js';

/** A 3-lane highway with ego parked far behind and the given vehicles. */
function highway(
  vehicles: (map: Scenario['map'], lanes: readonly number[]) => ReturnType<typeof onLane>[],
): Scenario {
  const { map, lanes } = buildHighway({ lanes: 3, length: 1000 }, new Rng(4));
  const ego = onLane(map, lanes[2], 5, 0);
  return {
    family: 'highway-cruise',
    seed: 0,
    map,
    initial: initialState(map, ego, vehicles(map, lanes)),
    route: { laneIds: [lanes[2]], goal: [0, 0], command: 'follow' },
    instruction: '',
    horizon: 100,
  };
}

function run(scenario: Scenario, steps: number) {
  const world = new World(scenario);
  let state = scenario.initial;
  for (let t = 0; t < steps; t++) state = world.step(state, { accel: 0, curvature: 0 });
  return state;
}

describe('background traffic (IDM + MOBIL)', () => {
  it('a fast car stuck behind a slow one overtakes through a free lane', () => {
    const scenario = highway((map, lanes) => [
      onLane(map, lanes[1], 100, 25, { desiredSpeed: 30 }),
      onLane(map, lanes[1], 130, 15, { desiredSpeed: 15 }),
    ]);
    const state = run(scenario, 40);
    expect(state.agents.laneId[1]).not.toBe(scenario.initial.agents.laneId[1]);
    expect(state.agents.laneS[1]).toBeGreaterThan(state.agents.laneS[2]); // it got past
  });

  it('does not change into a lane where the new follower would have to brake hard', () => {
    const scenario = highway((map, lanes) => [
      onLane(map, lanes[1], 100, 25, { desiredSpeed: 30 }),
      onLane(map, lanes[1], 130, 15, { desiredSpeed: 15 }),
      onLane(map, lanes[0], 95, 30, { desiredSpeed: 30 }), // closing fast just behind, left
      onLane(map, lanes[2], 95, 30, { desiredSpeed: 30 }), // and right
    ]);
    const state = run(scenario, 10); // one MOBIL decision's worth of steps (1 s)
    expect(state.agents.laneId[1]).toBe(scenario.initial.agents.laneId[1]);
  });

  it("follows a steady leader at highway-env's equilibrium distance, centre to centre", () => {
    // A follower at the leader's 10 m/s holds 3 [1 - (v/v0)^4] = 3 (d*/d)^2 with d* = 10 + 1.5 v (dv = 0):
    // d = (10 + 15) / sqrt(1 - (10/v0)^4) centre to centre, v0 = 20 m/s capped by the lane's limit.
    const scenario = highway((map, lanes) => [
      onLane(map, lanes[0], 200, 10, { desiredSpeed: 20, flags: AgentFlag.noLaneChange }),
      onLane(map, lanes[0], 226, 10, { desiredSpeed: 10, flags: AgentFlag.noLaneChange }),
    ]);
    const v0 = Math.min(20, scenario.map.lanes[scenario.initial.agents.laneId[1]].speedLimit);
    const state = run(scenario, 300);
    expect(state.agents.speed[2]).toBeCloseTo(10, 3);
    expect(state.agents.laneS[2] - state.agents.laneS[1]).toBeCloseTo(25 / Math.sqrt(1 - (10 / v0) ** 4), 1);
  });

  it('stops behind a slow leader instead of running into it (IDM)', () => {
    const scenario = highway((map, lanes) => [
      onLane(map, lanes[0], 100, 25, { desiredSpeed: 30, flags: AgentFlag.noLaneChange }),
      onLane(map, lanes[0], 160, 0, { desiredSpeed: 0 }),
    ]);
    const state = run(scenario, 100);
    const gap = state.agents.laneS[2] - state.agents.laneS[1] - 5;
    expect(state.agents.speed[1]).toBeLessThan(0.5);
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(15);
  });
});
