import { describe, expect, it } from 'vitest';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from '../sim/metrics/fixtures.js';
import { lightStates, timeToChange } from '../sim/road/lights.js';
import { DT } from '../sim/types.js';
import { STOP_S } from './fixtures.js';
import { egoOnRoad } from './road-ahead.js';
import { LIGHT_NAMES, tslLabel, tslQa } from './tsl.js';

describe('traffic-light labels', () => {
  it('report the colour lightStates gives, the stop-line distance and the time to change', () => {
    const map = twoWayRoad();
    const log = buildLog({
      steps: 300,
      agents: [straightMotion(60, 0)],
      lights: (l, t) => lightStates(map, t * DT)[l]!,
    });
    const scenario = scenarioOn(map);
    const seen = new Set<string>();
    for (let step = 0; step <= 260; step += 10) {
      const frame = { scenario, log, step };
      const label = tslLabel(frame, egoOnRoad(frame));
      const colour = lightStates(map, step * DT)[0]!;
      expect(label.lightId).toBe(0);
      expect(label.state).toBe(LIGHT_NAMES[colour]);
      expect(label.distance).toBeCloseTo(STOP_S - 60, 4);
      expect(label.timeToChange).toBeCloseTo(timeToChange(map, 0, step * DT), 6);
      seen.add(label.state);
    }
    expect([...seen].sort()).toEqual(['green', 'red', 'yellow']);
  });

  it('answer "none" when no light governs ego', () => {
    const map = twoWayRoad();
    const log = buildLog({ steps: 60, agents: [straightMotion(120, 5)] }); // past the stop line
    const frame = { scenario: scenarioOn(map), log, step: 0 };
    const label = tslLabel(frame, egoOnRoad(frame));
    expect(label.state).toBe('none');
    expect(tslQa(label, 0).map((q) => q.answer)).toEqual(['none', 'none', 'none']);
  });
});
