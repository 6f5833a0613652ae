// A north-up top-down picture of a logged frame for people (CLI --png, dashboard): road, markings, lights in
// their colour, route, ego's logged path and agents as oriented boxes. Not a model input (camera.ts, bev.ts).

import { assert } from '../core/assert.js';
import { gridCell } from '../sim/road/drivable.js';
import { AgentKind, type EpisodeLog, type Scenario } from '../sim/types.js';
import { groundTextures } from './ground.js';
import { GROUND_RGB, kindColour, LIGHT_HOUSING, lampColour, type Rgb } from './palette.js';
import { paintDisc, paintLine, paintPolygon, type RgbImage } from './raster.js';
import { snapshotFromLog } from './scene.js';

export interface BirdseyeOptions {
  readonly size?: number; // [px] picture width (and height for a window); default 800
  readonly span?: number | 'map'; // [m] side of the square window centred on ego, or the whole map; default 100
  readonly route?: boolean; // highlight the route's lanes; default true
}

const DEFAULT_SIZE = 800; // [px]
const DEFAULT_SPAN = 100; // [m]
const MAP_MARGIN = 5; // [m] around the map bounds when span is 'map'
const CENTRELINE: Rgb = [118, 118, 130];
const ROUTE: Rgb = [70, 200, 255];
const PATH_PAST: Rgb = [255, 150, 0];
const PATH_FUTURE: Rgb = [255, 222, 150];
const HEADING_TICK: Rgb = [20, 20, 20];

interface View {
  readonly x0: number; // world x of the left edge [m]
  readonly yTop: number; // world y of the top edge [m]
  readonly mpp: number; // [m/px]
}

/** The picture of `step` of a logged episode, (H, W, 3) RGB. */
export function drawBirdseye(
  scenario: Scenario,
  log: EpisodeLog,
  step: number,
  options: BirdseyeOptions = {},
): RgbImage {
  const size = options.size ?? DEFAULT_SIZE;
  const span = options.span ?? DEFAULT_SPAN;
  assert(Number.isInteger(size) && size > 0, () => `birdseye size must be a positive integer, got ${size}`);
  assert(span === 'map' || span > 0, () => `birdseye span must be positive or 'map', got ${span}`);
  const scene = snapshotFromLog(scenario, log, step);
  const { map } = scenario;
  const ex = scene.agents.x[0]!;
  const ey = scene.agents.y[0]!;
  let view: View;
  let width = size;
  let height = size;
  if (span === 'map') {
    const [minX, minY, maxX, maxY] = map.bounds;
    const w = maxX - minX + 2 * MAP_MARGIN;
    const h = maxY - minY + 2 * MAP_MARGIN;
    const mpp = Math.max(w, h) / size;
    width = Math.max(1, Math.round(w / mpp));
    height = Math.max(1, Math.round(h / mpp));
    view = { x0: minX - MAP_MARGIN, yTop: maxY + MAP_MARGIN, mpp };
  } else {
    view = { x0: ex - span / 2, yTop: ey + span / 2, mpp: span / size };
  }
  const image: RgbImage = { width, height, rgb: new Uint8Array(width * height * 3) };
  const px = (x: number) => (x - view.x0) / view.mpp;
  const py = (y: number) => (view.yTop - y) / view.mpp;
  const metres = (m: number, least: number) => Math.max(least, m / view.mpp); // a width in pixels

  const textures = groundTextures(map);
  for (let row = 0; row < height; row++) {
    const y = view.yTop - (row + 0.5) * view.mpp;
    for (let col = 0; col < width; col++) {
      const flags = gridCell(textures.fine, view.x0 + (col + 0.5) * view.mpp, y);
      image.rgb.set(GROUND_RGB.subarray(3 * flags, 3 * flags + 3), (row * width + col) * 3);
    }
  }

  const polyline = (points: Float32Array, thickness: number, colour: Rgb) => {
    for (let i = 0; i + 3 < points.length; i += 2)
      paintLine(
        image,
        px(points[i]!),
        py(points[i + 1]!),
        px(points[i + 2]!),
        py(points[i + 3]!),
        thickness,
        ...colour,
      );
  };
  for (const lane of map.lanes) polyline(lane.points, 1, CENTRELINE);
  if (options.route ?? true)
    for (const id of scenario.route.laneIds) polyline(map.lanes[id]!.points, metres(0.6, 2), ROUTE);

  for (let i = 0; i < textures.stopLineLight.length; i++) {
    const s = textures.stopLines.subarray(4 * i, 4 * i + 4);
    const colour = lampColour(scene.lights[textures.stopLineLight[i]!]!);
    paintLine(image, px(s[0]!), py(s[1]!), px(s[2]!), py(s[3]!), metres(0.6, 2), ...colour);
  }
  map.lights.forEach((light, l) => {
    const radius = metres(1.2, 4);
    paintDisc(image, px(light.position[0]), py(light.position[1]), radius, ...LIGHT_HOUSING);
    paintDisc(
      image,
      px(light.position[0]),
      py(light.position[1]),
      radius * 0.7,
      ...lampColour(scene.lights[l]!),
    );
  });

  for (let k = 1; k <= log.steps; k++) {
    // ego is agent 0: its (A, T) entries are the first T
    if (!log.valid[k - 1] || !log.valid[k]) continue;
    const colour = k <= step ? PATH_PAST : PATH_FUTURE;
    paintLine(
      image,
      px(log.x[k - 1]!),
      py(log.y[k - 1]!),
      px(log.x[k]!),
      py(log.y[k]!),
      metres(0.4, 3),
      ...colour,
    );
  }

  const { agents } = scene;
  const xs = new Float64Array(4);
  const ys = new Float64Array(4);
  for (let a = agents.count - 1; a >= 0; a--) {
    // ego last, on top
    if (!agents.valid[a]) continue;
    const c = Math.cos(agents.heading[a]!);
    const s = Math.sin(agents.heading[a]!);
    const hl = agents.length[a]! / 2;
    const hw = agents.width[a]! / 2;
    for (let k = 0; k < 4; k++) {
      const lx = k === 0 || k === 3 ? hl : -hl;
      const ly = k < 2 ? hw : -hw;
      xs[k] = px(agents.x[a]! + lx * c - ly * s);
      ys[k] = py(agents.y[a]! + lx * s + ly * c);
    }
    paintPolygon(image, xs, ys, 4, ...kindColour(a === 0 ? AgentKind.ego : agents.kind[a]!));
    const cx = agents.x[a]!;
    const cy = agents.y[a]!;
    paintLine(image, px(cx), py(cy), px(cx + hl * c), py(cy + hl * s), metres(0.25, 1), ...HEADING_TICK);
  }
  return image;
}
