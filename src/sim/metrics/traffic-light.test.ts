import { describe, expect, it } from 'vitest';
import { LightColour } from '../types.js';
import { EpisodeContext } from './context.js';
import { buildLog, STOP_S, scenarioOn, straightMotion, twoWayRoad } from './fixtures.js';
import { reduceMin } from './metric.js';
import { trafficLightSeries } from './traffic-light.js';

function tlc(ego: ReturnType<typeof straightMotion>, colour: (t: number) => number, steps = 50): number {
  const log = buildLog({ steps, agents: [ego], lights: (_l, t) => colour(t) });
  return reduceMin(trafficLightSeries(new EpisodeContext(scenarioOn(twoWayRoad()), log))).value;
}

describe('TLC: red-light compliance', () => {
  it('catches crossing the stop line on red', () => {
    expect(tlc(straightMotion(80, 10), () => LightColour.red)).toBe(0);
  });

  it('allows a stop before the line on red', () => {
    // 10 m/s braking at -4 m/s2 stops after 12.5 m: front at 80 + 2.5 + 12.5 = 95 m < 100 m.
    expect(tlc(straightMotion(80, 10, -4), () => LightColour.red)).toBe(1);
  });

  it('allows crossing on yellow, but not staying on the red area once it turns red', () => {
    // Front reaches the line (x = 100) between steps 7 and 8 and ego runs on along lane 0, whose stretch beyond
    // the line is the red area: yellow throughout passes, red from step 8 on fails while ego is still on it.
    const yellow = () => LightColour.yellow;
    expect(tlc(straightMotion(STOP_S - 2.5 - 7.5, 10), yellow)).toBe(1);
    const colour = (t: number) => (t < 8 ? LightColour.yellow : LightColour.red);
    expect(tlc(straightMotion(STOP_S - 2.5 - 7.5, 10), colour)).toBe(0);
  });

  it('allows crossing on green and ignores lines of the opposite direction', () => {
    expect(tlc(straightMotion(80, 10), () => LightColour.green)).toBe(1);
    const westbound = { at: (t: number) => ({ x: 120 - t, y: 3.5, heading: Math.PI, speed: 10 }) };
    expect(tlc(westbound, () => LightColour.red)).toBe(1);
  });
});
