// Checks the front camera on the fixture road: light colours read from the head's pixels, near and far lead
// vehicles, the horizon, and determinism. Not a test of the BEV.

import { describe, expect, it } from 'vitest';
import {
  type AgentMotion,
  buildLog,
  scenarioOn,
  straightMotion,
  twoWayRoad,
} from '../sim/metrics/fixtures.js';
import { LightColour } from '../sim/types.js';
import { CAMERA_HEIGHT, CAMERA_WIDTH, cameraPose, projectPoint, renderCamera } from './camera.js';
import { snapshotFromLog } from './scene.js';

const map = twoWayRoad();
const scenario = scenarioOn(map);

function frame(agents: readonly AgentMotion[], light: number = LightColour.green) {
  const scene = snapshotFromLog(scenario, buildLog({ steps: 1, agents, lights: () => light }), 0);
  return { scene, rgb: renderCamera(scene) };
}

const pixel = (rgb: Uint8Array, u: number, v: number) => {
  const i = (v * CAMERA_WIDTH + u) * 3;
  return [rgb[i]!, rgb[i + 1]!, rgb[i + 2]!] as const;
};

/** Pixels that differ between two images, as (u, v) pairs. */
function differing(a: Uint8Array, b: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  for (let v = 0; v < CAMERA_HEIGHT; v++)
    for (let u = 0; u < CAMERA_WIDTH; u++) {
      const i = (v * CAMERA_WIDTH + u) * 3;
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) out.push([u, v]);
    }
  return out;
}

describe('renderCamera', () => {
  it('shows the light colour at the light head, 38 m ahead', () => {
    const ego = [straightMotion(60, 0)];
    const red = frame(ego, LightColour.red);
    const green = frame(ego, LightColour.green);
    const head = projectPoint(cameraPose(red.scene), 100, -2, 5)!;
    expect(head.depth).toBeCloseTo(38, 3);
    const diff = differing(red.rgb, green.rgb);
    expect(diff.length).toBeGreaterThanOrEqual(4); // both lamps are 2 x 2 px at least
    for (const [u, v] of diff) {
      expect(Math.abs(u + 0.5 - head.u)).toBeLessThan(3);
      expect(Math.abs(v + 0.5 - head.v)).toBeLessThan(6);
    }
    const redLit = diff
      .map(([u, v]) => pixel(red.rgb, u, v))
      .filter(([r, g, b]) => r > 200 && g < 80 && b < 80);
    const greenLit = diff
      .map(([u, v]) => pixel(green.rgb, u, v))
      .filter(([r, g, b]) => g > 200 && r < 80 && b < 120);
    expect(redLit.length).toBeGreaterThanOrEqual(4);
    expect(greenLit.length).toBeGreaterThanOrEqual(4);
  });

  it('hides the colour from behind the head', () => {
    // ego beyond the light looking back west along lane 1 sees the head's back
    const west = {
      at: () => ({ x: 140, y: 3.5, heading: Math.PI, speed: 0 }),
    };
    const red = frame([west], LightColour.red);
    const green = frame([west], LightColour.green);
    expect(projectPoint(cameraPose(red.scene), 100, -2, 5)).not.toBeNull();
    expect(differing(red.rgb, green.rgb)).toEqual([]);
  });

  it('puts a lead vehicle 15 m ahead around the centre below the horizon, one 60 m ahead smaller', () => {
    const empty = frame([straightMotion(20, 0)]).rgb;
    const near = frame([straightMotion(20, 0), straightMotion(35, 0)]).rgb;
    const far = frame([straightMotion(20, 0), straightMotion(80, 0)]).rgb;
    const nearPixels = differing(empty, near);
    const farPixels = differing(empty, far);
    const centre = nearPixels.filter(([u, v]) => Math.abs(u - 64) < 4 && v >= 32 && v < 38);
    expect(centre.length).toBeGreaterThan(20);
    expect(nearPixels.every(([u]) => Math.abs(u + 0.5 - 64) < 12)).toBe(true); // 2 m wide at 12.5 m: ~10 px
    expect(farPixels.length).toBeGreaterThan(0);
    expect(farPixels.length * 8).toBeLessThan(nearPixels.length);
    expect(farPixels.every(([u, v]) => Math.abs(u - 64) < 3 && Math.abs(v - 32) < 3)).toBe(true);
  });

  it('draws sky above the horizon and road below it straight ahead', () => {
    const { rgb } = frame([straightMotion(20, 0)]);
    const [skyR, , skyB] = pixel(rgb, 64, 10);
    expect(skyB).toBeGreaterThan(skyR);
    const [r, g, b] = pixel(rgb, 70, 60); // asphalt right of the yellow line: grey
    expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThan(10);
    const [gr, gg, gb] = pixel(rgb, 127, 40); // grass right of the road
    expect(gg).toBeGreaterThan(Math.max(gr, gb));
  });

  it('draws a solid lane edge unbroken from near to far', () => {
    const { rgb } = frame([straightMotion(20, 0)]);
    const white = (u: number, v: number) => pixel(rgb, u, v).every((c) => c > 200);
    // the far road edge, 5.25 m left of ego (3.5 px per row on screen): its white run in each row touches the
    // run in the next row, from 40 m out to where it leaves the image
    const runs: [number, number][] = [];
    for (let v = 34; v < 50; v++) {
      let first = CAMERA_WIDTH;
      let last = -1;
      for (let u = 0; u < 64; u++)
        if (white(u, v)) {
          first = Math.min(first, u);
          last = u;
        }
      expect(last, `row ${v} has no white pixel`).not.toBe(-1);
      runs.push([first, last]);
    }
    for (let i = 0; i + 1 < runs.length; i++) {
      const [a0, a1] = runs[i]!;
      const [b0, b1] = runs[i + 1]!;
      expect(a0 <= b1 + 1 && b0 <= a1 + 1, `rows ${34 + i} and ${35 + i}: ${runs[i]} ${runs[i + 1]}`).toBe(
        true,
      );
    }
  });

  it('is deterministic, across fresh map caches too', () => {
    const agents = [straightMotion(60, 5), straightMotion(75, 5), straightMotion(90, 0, 0, 3.5)];
    const a = frame(agents, LightColour.yellow).rgb;
    const b = frame(agents, LightColour.yellow).rgb;
    const other = scenarioOn(twoWayRoad());
    const c = renderCamera(snapshotFromLog(other, buildLog({ steps: 1, agents, lights: () => 1 }), 0));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
