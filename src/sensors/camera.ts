// The front camera: a pinhole software rasteriser over a level, flat world. The ground is sampled from the cached
// map textures per pixel, then agents (3D boxes) and light heads are painted far to near. Not the BEV (bev.ts).
//
// Image: CAMERA_HEIGHT x CAMERA_WIDTH RGB, (H, W, 3) row-major Uint8. The horizon is the row boundary v = H / 2.

import { AgentKind } from '../sim/types.js';
import { type GroundTextures, groundTextures } from './ground.js';
import {
  BRAKE_LAMP,
  GROUND_RGB,
  kindColour,
  LAMP_OFF,
  LIGHT_HOUSING,
  lampColour,
  lampSlot,
  type Rgb,
  SKY_HORIZON,
  SKY_TOP,
} from './palette.js';
import { paintPolygon, paintRect, type RgbImage } from './raster.js';
import type { SceneSnapshot } from './scene.js';

export const CAMERA_WIDTH = 128; // [px]
export const CAMERA_HEIGHT = 64; // [px]
export const CAMERA_FOV = Math.PI / 2; // [rad] horizontal field of view
export const CAMERA_MOUNT_HEIGHT = 1.5; // [m] above the ground
export const CAMERA_SETBACK = 0.5; // [m] behind ego's front bumper
const FOCAL = CAMERA_WIDTH / 2 / Math.tan(CAMERA_FOV / 2); // [px] = 64
const CX = CAMERA_WIDTH / 2; // [px] principal point
const CY = CAMERA_HEIGHT / 2; // [px] the horizon
const NEAR = 0.2; // [m] near clipping plane
const FAR = 150; // [m] agents and lights further ahead are not drawn
const FINE_RANGE = 20; // [m] ground nearer than this samples the fine texture, further the pooled one
const BRAKE_ACCEL = -1.0; // [m/s2] a vehicle decelerating harder shows a lit rear face
const LAMP_SIZE = 0.35; // [m] lamp side; drawn at least 2 px so the colour reads at 50 m
const HOUSING_BORDER = 0.1; // [m] around and between lamps; at least 1 px
const POLE_WIDTH = 0.15; // [m]
const LIT_COS = 0.75; // a head shows its colour within ~41 deg of the direction it faces (visors)

/** Box height by AgentKind [m]; long vehicles are trucks. */
function agentHeight(kind: number, length: number): number {
  switch (kind) {
    case AgentKind.pedestrian:
      return 1.75;
    case AgentKind.cyclist:
      return 1.7;
    case AgentKind.obstacle:
      return 1.0;
    default:
      return length > 7 ? 3.2 : 1.6;
  }
}

export interface CameraPose {
  readonly x: number; // [m]
  readonly y: number; // [m]
  readonly cos: number; // of the heading
  readonly sin: number;
}

/** The camera on ego (agent 0): CAMERA_SETBACK behind its front, looking along its heading. */
export function cameraPose(scene: SceneSnapshot): CameraPose {
  const { agents } = scene;
  const cos = Math.cos(agents.heading[0]!);
  const sin = Math.sin(agents.heading[0]!);
  const ahead = agents.length[0]! / 2 - CAMERA_SETBACK;
  return { x: agents.x[0]! + ahead * cos, y: agents.y[0]! + ahead * sin, cos, sin };
}

/** Pixel coordinates (u right, v down, continuous) and depth [m] of world point (x, y, z); null behind NEAR. */
export function projectPoint(
  pose: CameraPose,
  x: number,
  y: number,
  z: number,
): { u: number; v: number; depth: number } | null {
  const dx = x - pose.x;
  const dy = y - pose.y;
  const depth = dx * pose.cos + dy * pose.sin;
  if (depth < NEAR) return null;
  const left = -dx * pose.sin + dy * pose.cos;
  return { u: CX - (FOCAL * left) / depth, v: CY - (FOCAL * (z - CAMERA_MOUNT_HEIGHT)) / depth, depth };
}

// Ground samples per image row below the horizon. A pixel near the horizon covers metres of road along the
// view, so each row takes several samples spread over its height and ORs their flags: thin lines at steep
// screen angles stay unbroken. Sample k of a row sits at forward distance ROW_SAMPLE_FORWARD[row * MAX + k]
// [m]; along the row the ground point moves linearly with the column.
const MAX_SAMPLES = 12; // per pixel
const MULTI_SAMPLE_RANGE = 30; // [m] further rows take one sample (OR-ing to the horizon paints them white)
const FINE_LINE = 0.25; // [m] narrowest marking in the fine texture: samples at most this far apart
const COARSE_LINE = 1; // [m] narrowest marking in the coarse texture
const ROW_SAMPLES = new Int32Array(CAMERA_HEIGHT);
const ROW_FINE = new Uint8Array(CAMERA_HEIGHT); // 1: sample the fine texture
const ROW_SAMPLE_FORWARD = new Float64Array(CAMERA_HEIGHT * MAX_SAMPLES);
for (let row = CY; row < CAMERA_HEIGHT; row++) {
  const forwardAt = (v: number) => (FOCAL * CAMERA_MOUNT_HEIGHT) / (v - CY);
  const fine = forwardAt(row + 0.5) < FINE_RANGE;
  const footprint = forwardAt(row + 0.05) - forwardAt(row + 1); // [m] along the view
  const wanted = forwardAt(row + 0.5) > MULTI_SAMPLE_RANGE ? 1 : footprint / (fine ? FINE_LINE : COARSE_LINE);
  const n = Math.min(MAX_SAMPLES, Math.max(1, Math.ceil(wanted)));
  ROW_SAMPLES[row] = n;
  ROW_FINE[row] = fine ? 1 : 0;
  for (let k = 0; k < n; k++) ROW_SAMPLE_FORWARD[row * MAX_SAMPLES + k] = forwardAt(row + (k + 0.5) / n);
}

/** The sky above the horizon, (CY, W, 3): a vertical gradient. */
const SKY = (() => {
  const sky = new Uint8Array(CY * CAMERA_WIDTH * 3);
  for (let row = 0; row < CY; row++) {
    const t = row / Math.max(1, CY - 1);
    for (let col = 0; col < CAMERA_WIDTH; col++)
      for (let k = 0; k < 3; k++)
        sky[(row * CAMERA_WIDTH + col) * 3 + k] = Math.round(
          SKY_TOP[k]! + (SKY_HORIZON[k]! - SKY_TOP[k]!) * t,
        );
  }
  return sky;
})();

const sampleX = new Float64Array(MAX_SAMPLES); // texel coordinates of each sample at column 0
const sampleY = new Float64Array(MAX_SAMPLES);
const sampleStepX = new Float64Array(MAX_SAMPLES); // and their step per column
const sampleStepY = new Float64Array(MAX_SAMPLES);

function drawGround(rgb: Uint8Array, pose: CameraPose, textures: GroundTextures): void {
  const { cos, sin } = pose;
  const lut = GROUND_RGB; // a local: module bindings can be getters when transpiled, too slow per pixel
  for (let row = CY; row < CAMERA_HEIGHT; row++) {
    const tex = ROW_FINE[row] ? textures.fine : textures.coarse;
    const inv = 1 / tex.resolution;
    const { cols, rows, cells } = tex;
    const n = ROW_SAMPLES[row]!;
    for (let k = 0; k < n; k++) {
      const forward = ROW_SAMPLE_FORWARD[row * MAX_SAMPLES + k]!;
      const left0 = ((CX - 0.5) * forward) / FOCAL; // column 0's centre
      const step = -forward / FOCAL; // [m] of left per column
      sampleX[k] = (pose.x + forward * cos - left0 * sin - tex.originX) * inv;
      sampleY[k] = (pose.y + forward * sin + left0 * cos - tex.originY) * inv;
      sampleStepX[k] = -step * sin * inv;
      sampleStepY[k] = step * cos * inv;
    }
    let o = row * CAMERA_WIDTH * 3;
    for (let col = 0; col < CAMERA_WIDTH; col++, o += 3) {
      let flags = 0;
      for (let k = 0; k < n; k++) {
        const c = Math.floor(sampleX[k]! + col * sampleStepX[k]!);
        const r = Math.floor(sampleY[k]! + col * sampleStepY[k]!);
        if (c >= 0 && r >= 0 && c < cols && r < rows) flags |= cells[r * cols + c]!;
      }
      rgb[o] = lut[3 * flags]!;
      rgb[o + 1] = lut[3 * flags + 1]!;
      rgb[o + 2] = lut[3 * flags + 2]!;
    }
  }
}

// Scratch for one face: up to 4 vertices in, 8 after clipping, camera frame (forward, left, up relative to camera).
const faceF = new Float64Array(4);
const faceL = new Float64Array(4);
const faceZ = new Float64Array(4);
const clipF = new Float64Array(8);
const clipL = new Float64Array(8);
const clipZ = new Float64Array(8);
const screenU = new Float64Array(8);
const screenV = new Float64Array(8);

/** Clips the face in face* against the near plane, projects and paints it; returns pixels written. */
function paintFace(image: RgbImage, n: number, colour: Rgb, shade: number): number {
  let m = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const fi = faceF[i]!;
    const fj = faceF[j]!;
    if (fj >= NEAR !== fi >= NEAR) {
      const t = (NEAR - fj) / (fi - fj);
      clipF[m] = NEAR;
      clipL[m] = faceL[j]! + (faceL[i]! - faceL[j]!) * t;
      clipZ[m++] = faceZ[j]! + (faceZ[i]! - faceZ[j]!) * t;
    }
    if (fi >= NEAR) {
      clipF[m] = fi;
      clipL[m] = faceL[i]!;
      clipZ[m++] = faceZ[i]!;
    }
  }
  if (m < 3) return 0;
  for (let i = 0; i < m; i++) {
    screenU[i] = CX - (FOCAL * clipL[i]!) / clipF[i]!;
    screenV[i] = CY - (FOCAL * clipZ[i]!) / clipF[i]!;
  }
  return paintPolygon(
    image,
    screenU,
    screenV,
    m,
    Math.round(colour[0] * shade),
    Math.round(colour[1] * shade),
    Math.round(colour[2] * shade),
  );
}

const cornerF = new Float64Array(4); // box footprint corners, camera frame: front-left, rear-left, rear-right, front-right
const cornerL = new Float64Array(4);
const SIDE_SHADE = [0.62, 0.82, 0.62, 0.82]; // faces left, rear, right, front: sides darker than ends
const CORNER_SIGNS = [1, 1, -1, 1, -1, -1, 1, -1]; // (4, 2) signs of half length, half width

/** Paints agent `a` as a box: visible sides then the top when seen from above. */
function drawAgent(image: RgbImage, pose: CameraPose, scene: SceneSnapshot, a: number): void {
  const { agents } = scene;
  const kind = agents.kind[a]!;
  const length = agents.length[a]!;
  const height = agentHeight(kind, length);
  const colour = kindColour(kind);
  const ch = Math.cos(agents.heading[a]!);
  const sh = Math.sin(agents.heading[a]!);
  for (let k = 0; k < 4; k++) {
    const lx = (CORNER_SIGNS[2 * k]! * length) / 2;
    const ly = (CORNER_SIGNS[2 * k + 1]! * agents.width[a]!) / 2;
    const dx = agents.x[a]! + lx * ch - ly * sh - pose.x;
    const dy = agents.y[a]! + lx * sh + ly * ch - pose.y;
    cornerF[k] = dx * pose.cos + dy * pose.sin;
    cornerL[k] = -dx * pose.sin + dy * pose.cos;
  }
  const bottom = -CAMERA_MOUNT_HEIGHT;
  const top = height - CAMERA_MOUNT_HEIGHT;
  const braking = kind === AgentKind.vehicle && agents.accel[a]! < BRAKE_ACCEL;
  let painted = 0;
  for (let k = 0; k < 4; k++) {
    const j = (k + 1) & 3;
    // outward normal of the counter-clockwise edge k -> j is (dl, -df); visible when it points at the camera
    const df = cornerF[j]! - cornerF[k]!;
    const dl = cornerL[j]! - cornerL[k]!;
    if (-(dl * cornerF[k]! - df * cornerL[k]!) <= 0) continue;
    faceF[0] = cornerF[k]!;
    faceL[0] = cornerL[k]!;
    faceZ[0] = bottom;
    faceF[1] = cornerF[j]!;
    faceL[1] = cornerL[j]!;
    faceZ[1] = bottom;
    faceF[2] = cornerF[j]!;
    faceL[2] = cornerL[j]!;
    faceZ[2] = top;
    faceF[3] = cornerF[k]!;
    faceL[3] = cornerL[k]!;
    faceZ[3] = top;
    painted +=
      braking && k === 1 ? paintFace(image, 4, BRAKE_LAMP, 1) : paintFace(image, 4, colour, SIDE_SHADE[k]!);
  }
  if (top < 0) {
    for (let k = 0; k < 4; k++) {
      faceF[k] = cornerF[k]!;
      faceL[k] = cornerL[k]!;
      faceZ[k] = top;
    }
    painted += paintFace(image, 4, colour, 1);
  }
  if (painted === 0) {
    // smaller than a pixel: one pixel where its centre projects, so distant pedestrians do not vanish
    const p = projectPoint(pose, agents.x[a]!, agents.y[a]!, height / 2);
    if (p)
      paintRect(image, Math.floor(p.u), Math.floor(p.v), Math.floor(p.u) + 1, Math.floor(p.v) + 1, ...colour);
  }
}

/** Paints light `l`: pole, dark housing, three lamps; the lit one only when the head faces the camera. */
function drawLight(
  image: RgbImage,
  pose: CameraPose,
  scene: SceneSnapshot,
  textures: GroundTextures,
  l: number,
) {
  const light = scene.map.lights[l]!;
  const [x, y] = light.position;
  const p = projectPoint(pose, x, y, light.height);
  if (!p) return;
  const scale = FOCAL / p.depth; // [px/m]
  const lamp = Math.max(2, Math.round(LAMP_SIZE * scale));
  const border = Math.max(1, Math.round(HOUSING_BORDER * scale));
  const w = lamp + 2 * border;
  const h = 3 * lamp + 4 * border;
  const left = Math.round(p.u - w / 2);
  const top = Math.round(p.v - h / 2);
  const pole = Math.max(1, Math.round(POLE_WIDTH * scale));
  const poleLeft = Math.round(p.u - pole / 2);
  const ground = Math.ceil(CY + CAMERA_MOUNT_HEIGHT * scale);
  paintRect(image, poleLeft, top + h, poleLeft + pole, ground, ...LIGHT_HOUSING);
  paintRect(image, left, top, left + w, top + h, ...LIGHT_HOUSING);
  const fx = textures.lightFacing[2 * l]!;
  const fy = textures.lightFacing[2 * l + 1]!;
  const toCamX = pose.x - x;
  const toCamY = pose.y - y;
  const lit = (fx === 0 && fy === 0) || fx * toCamX + fy * toCamY > LIT_COS * Math.hypot(toCamX, toCamY);
  const state = scene.lights[l]!;
  const slot = lampSlot(state);
  for (let k = 0; k < 3; k++) {
    const colour = lit && k === slot ? lampColour(state) : LAMP_OFF;
    const y0 = top + border + k * (lamp + border);
    paintRect(image, left + border, y0, left + border + lamp, y0 + lamp, ...colour);
  }
}

// Draw list scratch: item codes (agent a >= 0, light l as -1 - l) and their depths, grown as needed.
let itemCode = new Int32Array(64);
let itemDepth = new Float64Array(64);

function pushItem(n: number, code: number, depth: number): number {
  if (n === itemCode.length) {
    const codes = new Int32Array(2 * n);
    const depths = new Float64Array(2 * n);
    codes.set(itemCode);
    depths.set(itemDepth);
    itemCode = codes;
    itemDepth = depths;
  }
  itemCode[n] = code;
  itemDepth[n] = depth;
  return n + 1;
}

/** Renders the front camera of `scene` into `out` ((H, W, 3), allocated when omitted) and returns it. */
export function renderCamera(
  scene: SceneSnapshot,
  out: Uint8Array = new Uint8Array(CAMERA_WIDTH * CAMERA_HEIGHT * 3),
): Uint8Array {
  const textures = groundTextures(scene.map);
  const pose = cameraPose(scene);
  const image: RgbImage = { width: CAMERA_WIDTH, height: CAMERA_HEIGHT, rgb: out };
  out.set(SKY);
  drawGround(out, pose, textures);

  const { agents } = scene;
  let n = 0;
  for (let a = 1; a < agents.count; a++) {
    if (!agents.valid[a] || agents.kind[a] === AgentKind.ego) continue;
    const depth = (agents.x[a]! - pose.x) * pose.cos + (agents.y[a]! - pose.y) * pose.sin;
    const reach = (agents.length[a]! + agents.width[a]!) / 2;
    if (depth + reach > NEAR && depth - reach < FAR) n = pushItem(n, a, depth);
  }
  for (let l = 0; l < scene.map.lights.length; l++) {
    const [x, y] = scene.map.lights[l]!.position;
    const depth = (x - pose.x) * pose.cos + (y - pose.y) * pose.sin;
    if (depth > NEAR && depth < FAR) n = pushItem(n, -1 - l, depth);
  }
  // insertion sort, far to near (painter's order); ties by code keep the output deterministic
  for (let i = 1; i < n; i++) {
    const code = itemCode[i]!;
    const depth = itemDepth[i]!;
    let j = i - 1;
    while (j >= 0 && (itemDepth[j]! < depth || (itemDepth[j] === depth && itemCode[j]! > code))) {
      itemCode[j + 1] = itemCode[j]!;
      itemDepth[j + 1] = itemDepth[j]!;
      j--;
    }
    itemCode[j + 1] = code;
    itemDepth[j + 1] = depth;
  }
  for (let i = 0; i < n; i++) {
    const code = itemCode[i]!;
    if (code >= 0) drawAgent(image, pose, scene, code);
    else drawLight(image, pose, scene, textures, -1 - code);
  }
  return out;
}
