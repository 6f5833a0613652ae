import { describe, expect, it } from 'vitest';
import { InputError, UnknownNameError, UsageError } from '../../core/errors.js';
import { ExpertDriver } from '../agents/expert/expert.js';
import { scoreEpisode } from '../metrics/index.js';
import { routeProgress } from '../metrics/route.js';
import { EpisodeRecorder } from '../rollout.js';
import { loadSuite } from '../suites.js';
import { AgentKind, LightColour, type Scenario, type WorldState } from '../types.js';
import { World } from '../world.js';
import { createScenario } from './index.js';

/** The expert's episode as states (for lanes and intents, which the log does not keep) and its score. */
function drive(scenario: Scenario) {
  const world = new World(scenario);
  const driver = new ExpertDriver();
  const recorder = new EpisodeRecorder(scenario, scenario.horizon);
  driver.reset(scenario);
  const states: WorldState[] = [scenario.initial];
  recorder.record(scenario.initial);
  for (let t = 0; t < scenario.horizon; t++) {
    const output = driver.act(scenario, states[t]);
    recorder.command(output);
    states.push(world.step(states[t], output.action));
    recorder.record(states[t + 1]);
  }
  const log = recorder.log;
  const score = scoreEpisode(scenario, log, { referenceProgress: routeProgress(scenario, log) });
  return { states, score };
}

const SEEDS = [0, 1, 2];

describe('scenario families produce their defining event, and the expert handles it without fault', () => {
  it('nominal-urban: ego drives up to a signalised junction on its route and obeys the light', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('nominal-urban', seed);
      const { states, score } = drive(scenario);
      const connector = scenario.route.laneIds[1];
      expect(scenario.map.lanes[connector].kind).toBe('connector');
      const stop = scenario.map.lanes[scenario.route.laneIds[0]].stopLine!;
      // Ego drives up to its stop line (then it crosses on green, or waits for its light or for crossing traffic).
      const reached = states.some((s) => s.agents.laneId[0] === connector || s.agents.laneS[0] > stop.s - 8);
      expect(reached).toBe(true);
      expect(score.metrics.tlc.value).toBe(1);
      expect(score.atFaultCollision).toBe(false);
    }
  });

  it('highway-cruise: ego follows its lane among traffic that never collides with itself', () => {
    const scenario = createScenario('highway-cruise', 0);
    const { states, score } = drive(scenario);
    for (const s of states) {
      const a = s.agents;
      for (let i = 1; i < a.count; i++) {
        for (let j = i + 1; j < a.count; j++) {
          if (!a.valid[i] || !a.valid[j] || a.laneId[i] !== a.laneId[j]) continue;
          expect(Math.abs(a.laneS[i] - a.laneS[j])).toBeGreaterThan((a.length[i] + a.length[j]) / 2);
        }
      }
    }
    expect(states[states.length - 1].agents.laneId[0]).toBe(scenario.route.laneIds[0]);
    expect(score.atFaultCollision).toBe(false);
  });

  it('lead-brake: the lead stops hard and ego stops behind it', () => {
    for (const seed of SEEDS) {
      const { states, score } = drive(createScenario('lead-brake', seed));
      const lead = states.map((s) => s.agents.speed[1]);
      expect(Math.min(...lead)).toBe(0);
      expect(Math.min(...states.map((s) => s.agents.accel[1]))).toBeLessThan(-3.9);
      expect(score.collisions).toEqual([]);
    }
  });

  it('cut-in: the cutter ends in ego lane ahead of ego', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('cut-in', seed);
      const { states, score } = drive(scenario);
      const egoLane = scenario.route.laneIds[0];
      expect(scenario.initial.agents.laneId[1]).not.toBe(egoLane);
      const last = states[states.length - 1].agents;
      expect(last.laneId[1]).toBe(egoLane);
      expect(last.laneS[1]).toBeGreaterThan(last.laneS[0]);
      expect(score.collisions).toEqual([]);
    }
  });

  it('jaywalker: a pedestrian walks across ego lane away from any crosswalk', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('jaywalker', seed);
      expect(scenario.map.crosswalks).toEqual([]);
      const { states, score } = drive(scenario);
      expect(scenario.initial.agents.kind[1]).toBe(AgentKind.pedestrian);
      const lane = scenario.map.lanes[scenario.route.laneIds[0]];
      const start = states[0].agents;
      const end = states[states.length - 1].agents;
      const crossed = Math.hypot(end.x[1] - start.x[1], end.y[1] - start.y[1]);
      expect(crossed).toBeGreaterThan(lane.width * 2);
      expect(score.collisions).toEqual([]);
    }
  });

  it('red-light-runner: a car crosses its stop line on red while ego has green, and ego yields', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('red-light-runner', seed);
      const { states, score } = drive(scenario);
      const runnerLane = scenario.map.lanes[scenario.initial.agents.laneId[1]];
      const stop = runnerLane.stopLine!;
      const ranRed = states.some(
        (s, t) =>
          t > 0 &&
          s.lights[stop.lightId] === LightColour.red &&
          (s.agents.laneId[1] !== runnerLane.id || s.agents.laneS[1] + 2.5 >= stop.s) &&
          states[t - 1].agents.laneId[1] === runnerLane.id &&
          states[t - 1].agents.laneS[1] + 2.5 < stop.s,
      );
      expect(ranRed).toBe(true);
      expect(score.metrics.tlc.value).toBe(1);
      expect(score.atFaultCollision).toBe(false);
    }
  });

  it('stalled-obstacle: a stalled agent blocks ego lane and ego gets past it without touching it', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('stalled-obstacle', seed);
      const { states, score } = drive(scenario);
      expect(states.every((s) => s.agents.speed[1] === 0)).toBe(true);
      const last = states[states.length - 1].agents;
      const ahead =
        (last.x[0] - last.x[1]) * Math.cos(last.heading[1]) +
        (last.y[0] - last.y[1]) * Math.sin(last.heading[1]);
      expect(ahead).toBeGreaterThan(0);
      expect(score.collisions).toEqual([]);
    }
  });

  it('unprotected-left: ego turns left across oncoming traffic', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('unprotected-left', seed);
      const { states, score } = drive(scenario);
      expect(scenario.route.command).toBe('turn-left');
      expect(states.some((s) => s.agents.laneId[0] === scenario.route.laneIds[1])).toBe(true);
      expect(score.collisions.filter((c) => c.atFault)).toEqual([]);
    }
  });

  it('dense-merge: ego leaves the ramp for a through lane', () => {
    for (const seed of SEEDS) {
      const scenario = createScenario('dense-merge', seed);
      const { states, score } = drive(scenario);
      const through = scenario.route.laneIds.slice(2);
      expect(states.some((s) => through.includes(s.agents.laneId[0]))).toBe(true);
      expect(score.atFaultCollision).toBe(false);
    }
  });
});

describe('bad input', () => {
  it('names an unknown family and the known ones', () => {
    expect(() => createScenario('cut-out', 1)).toThrow(UnknownNameError);
    expect(() => createScenario('cut-out', 1)).toThrow(
      /unknown scenario family 'cut-out'; known: nominal-urban/,
    );
  });

  it('refuses a negative or fractional seed', () => {
    expect(() => createScenario('cut-in', -1)).toThrow(UsageError);
    expect(() => createScenario('cut-in', 1.5)).toThrow(/seed: expected an integer/);
  });

  it('names the file and field of a malformed suite', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'suite-')), 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({ name: 'x', version: 1, description: '', episodes: [{ family: 'nope', seed: 1 }] }),
    );
    expect(() => loadSuite(file)).toThrow(InputError);
    expect(() => loadSuite(file)).toThrow(/bad\.json: episodes\.0\.family/);
    expect(() => loadSuite('everything')).toThrow(
      /unknown suite 'everything'; known: standard, longtail, wide/,
    );
  });

  it('loads the standard and longtail suites, with no (family, seed) in both', () => {
    const standard = loadSuite('standard');
    const longtail = loadSuite('longtail');
    expect(standard.episodes.length).toBe(45);
    const key = (e: { family: string; seed: number }) => `${e.family}:${e.seed}`;
    const shared = longtail.episodes.map(key).filter((k) => standard.episodes.map(key).includes(k));
    expect(shared).toEqual([]);
  });

  it('loads the wide suite: every standard episode and three times as many more', () => {
    const standard = loadSuite('standard').episodes.map((e) => `${e.family}:${e.seed}`);
    const wide = loadSuite('wide').episodes.map((e) => `${e.family}:${e.seed}`);
    expect(wide).toHaveLength(4 * standard.length);
    expect(new Set(wide).size).toBe(wide.length);
    expect(standard.filter((k) => !wide.includes(k))).toEqual([]);
  });
});
