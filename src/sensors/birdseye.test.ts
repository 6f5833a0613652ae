// Checks the human birdseye picture: window size, ego drawn in its colour at the centre, the light disc in the
// light's colour, the logged path, and the whole-map view's aspect. Not a test of the model's sensors.

import { describe, expect, it } from 'vitest';
import { buildLog, scenarioOn, straightMotion, twoWayRoad } from '../sim/metrics/fixtures.js';
import { AgentKind } from '../sim/types.js';
import { drawBirdseye } from './birdseye.js';
import { kindColour, lampColour } from './palette.js';
import type { RgbImage } from './raster.js';

const scenario = scenarioOn(twoWayRoad());
const log = buildLog({ steps: 40, agents: [straightMotion(80, 5)], lights: () => 2 });

const pixel = (image: RgbImage, x: number, y: number) => {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 3;
  return [image.rgb[i], image.rgb[i + 1], image.rgb[i + 2]];
};

describe('drawBirdseye', () => {
  it('draws ego at the centre of its window and the light in its colour', () => {
    const image = drawBirdseye(scenario, log, 20, { size: 400, span: 80 }); // 0.2 m/px, ego at x = 90
    expect([image.width, image.height, image.rgb.length]).toEqual([400, 400, 400 * 400 * 3]);
    expect(pixel(image, 200 - 5, 200)).toEqual([...kindColour(AgentKind.ego)]); // behind the heading tick
    // light 0 at (100, -2): 10 m east and 2 m south of ego
    expect(pixel(image, 200 + 50, 200 + 10)).toEqual([...lampColour(2)]);
    // the logged path: past behind ego (orange), future ahead of it
    expect(pixel(image, 200 - 40, 200)).toEqual([255, 150, 0]);
    expect(pixel(image, 200 + 40, 200)).toEqual([255, 222, 150]);
  });

  it('fits the whole map keeping its aspect', () => {
    const image = drawBirdseye(scenario, log, 0, { size: 420, span: 'map' });
    expect(image.width).toBe(420);
    expect(image.height).toBe(Math.round((7 + 10) * (420 / 210)));
  });
});
