// Turns a family's parts (map, cast, route lanes, command) into a Scenario with its goal and instruction, and
// gives each family its seeded random stream. Not the families (one file each) nor the registry (index.ts).

import { Rng } from '../../core/rng.js';
import { lanePose } from '../road/geometry.js';
import { type RoadMap, type Route, SCENARIO_FAMILIES, type Scenario, type ScenarioFamily } from '../types.js';
import { type AgentSpec, initialState } from './cast.js';

export const DEFAULT_HORIZON = 150; // [steps] 15 s

const INSTRUCTIONS: Record<Route['command'], string> = {
  follow: 'Follow the road.',
  'turn-left': 'At the intersection, turn left.',
  'turn-right': 'At the intersection, turn right.',
  'go-straight': 'Go straight through the intersection.',
  'change-left': 'Change to the left lane and continue.',
  'change-right': 'Change to the right lane and continue.',
  merge: 'Merge onto the main road.',
};

/** The random stream of scenario `seed` of `family`: independent across families for the same seed. */
export function familyRng(family: ScenarioFamily, seed: number): Rng {
  return new Rng(seed).fork(SCENARIO_FAMILIES.indexOf(family) + 1);
}

export interface ScenarioParts {
  readonly family: ScenarioFamily;
  readonly seed: number;
  readonly map: RoadMap;
  readonly ego: AgentSpec;
  readonly others: readonly AgentSpec[];
  readonly routeLanes: readonly number[];
  readonly command: Route['command'];
  readonly horizon?: number; // [steps]
}

export function assemble(parts: ScenarioParts): Scenario {
  const last = parts.map.lanes[parts.routeLanes[parts.routeLanes.length - 1]];
  const goal = lanePose(last, last.length);
  return {
    family: parts.family,
    seed: parts.seed,
    map: parts.map,
    initial: initialState(parts.map, parts.ego, parts.others),
    route: { laneIds: parts.routeLanes, goal: [goal.x, goal.y], command: parts.command },
    instruction: INSTRUCTIONS[parts.command],
    horizon: parts.horizon ?? DEFAULT_HORIZON,
  };
}
