// Checks the BEV raster on the fixture road: drivable and route at ego, agents and light marks at the expected
// cells, heading-up orientation when ego drives west. Not a test of the camera.

import { describe, expect, it } from 'vitest';
import {
  type AgentMotion,
  buildLog,
  scenarioOn,
  straightMotion,
  twoWayRoad,
} from '../sim/metrics/fixtures.js';
import { AgentKind, LightColour } from '../sim/types.js';
import { BEV_CHANNELS, BEV_SIZE, BevChannel, bevCell, renderBev } from './bev.js';
import { snapshotFromLog } from './scene.js';

const PLANE = BEV_SIZE * BEV_SIZE;
const map = twoWayRoad();

function bev(agents: readonly AgentMotion[], light: number = LightColour.green, route = [0]) {
  const log = buildLog({ steps: 1, agents, lights: () => light });
  return renderBev(snapshotFromLog(scenarioOn(map, route), log, 0));
}

const at = (raster: Uint8Array, channel: number, forward: number, left: number) =>
  raster[channel * PLANE + bevCell(forward, left)]!;
const count = (raster: Uint8Array, channel: number) =>
  raster.subarray(channel * PLANE, (channel + 1) * PLANE).reduce((n, v) => n + (v ? 1 : 0), 0);

describe('bevCell', () => {
  it('puts ego near the bottom centre, ahead up and left left', () => {
    expect(bevCell(0, 0)).toBe(48 * BEV_SIZE + 32);
    expect(bevCell(47.9, 31.9)).toBe(0);
    expect(bevCell(-15.9, -31.9)).toBe(BEV_SIZE * BEV_SIZE - 1);
    expect(bevCell(48.1, 0)).toBe(-1);
    expect(bevCell(0, -32.1)).toBe(-1);
  });
});

describe('renderBev', () => {
  it('marks ego lane drivable and on the route at the ego cell, grass elsewhere', () => {
    const raster = bev([straightMotion(70, 0)]);
    expect(raster.length).toBe(BEV_CHANNELS * PLANE);
    expect(at(raster, BevChannel.drivable, 0, 0)).toBe(255);
    expect(at(raster, BevChannel.route, 0, 0)).toBe(255);
    expect(at(raster, BevChannel.drivable, 0, 3.5)).toBe(255); // oncoming lane
    expect(at(raster, BevChannel.route, 0, 3.5)).toBe(0);
    expect(at(raster, BevChannel.drivable, 0, -10)).toBe(0);
    expect(at(raster, BevChannel.markings, 10, 1.75)).toBe(255); // centre line
    expect(at(raster, BevChannel.markings, 10, 0.4)).toBe(0);
  });

  it('anti-aliases the map: a half-metre sideways shift changes the cells a lane edge crosses', () => {
    const markings = (y: number) => {
      const raster = bev([straightMotion(70, 0, 0, y)]);
      return raster.subarray(BevChannel.markings * PLANE, (BevChannel.markings + 1) * PLANE);
    };
    const centred = markings(0);
    const shifted = markings(0.5);
    expect(centred.some((v) => v > 0 && v < 255)).toBe(true); // partly covered cells
    let changed = 0;
    for (let i = 0; i < PLANE; i++) if (centred[i] !== shifted[i]) changed++;
    expect(changed).toBeGreaterThan(BEV_SIZE); // every row has an edge that moved
  });

  it('puts a vehicle 15 m ahead in the vehicle channel and a pedestrian in its own, valued by speed', () => {
    const pedestrian: AgentMotion = {
      kind: AgentKind.pedestrian,
      length: 0.5,
      width: 0.5,
      at: () => ({ x: 80.2, y: -3.2, speed: 0 }),
    };
    const raster = bev([straightMotion(70, 0), straightMotion(85, 15), pedestrian]);
    expect(at(raster, BevChannel.vehicles, 15, 0)).toBe(192); // 15 m/s: half way from standing (128) to 255
    expect(at(raster, BevChannel.vehicles, 13.2, 0.8)).toBe(192); // near the rear-left of the 5 x 2 m box
    expect(at(raster, BevChannel.vehicles, 0, 0)).toBe(0); // ego is not drawn
    expect(count(raster, BevChannel.vehicles)).toBeGreaterThanOrEqual(8);
    expect(count(raster, BevChannel.vehicles)).toBeLessThanOrEqual(18);
    expect(at(raster, BevChannel.pedestrians, 10.2, -3.2)).toBe(128); // standing
    expect(count(raster, BevChannel.pedestrians)).toBe(1);
  });

  it('marks the stop line 30 m ahead in the channel of the light colour', () => {
    const red = bev([straightMotion(70, 0)], LightColour.red);
    expect(at(red, BevChannel.red, 30, 0)).toBe(255);
    expect(count(red, BevChannel.red)).toBeGreaterThanOrEqual(3);
    expect(count(red, BevChannel.yellow) + count(red, BevChannel.green)).toBe(0);
    const green = bev([straightMotion(70, 0)], LightColour.green);
    expect(at(green, BevChannel.green, 30, 0)).toBe(255);
    expect(count(green, BevChannel.red)).toBe(0);
  });

  it('is heading-up: driving west, the eastbound lane is on the left and a car ahead is up', () => {
    const west = (x: number): AgentMotion => ({ at: () => ({ x, y: 3.5, heading: Math.PI, speed: 0 }) });
    const raster = bev([west(150), west(135)], LightColour.red, [1]);
    expect(at(raster, BevChannel.vehicles, 15, 0)).toBe(128);
    expect(at(raster, BevChannel.route, 0, 0)).toBe(255);
    expect(at(raster, BevChannel.route, 0, 3.5)).toBe(0);
    expect(at(raster, BevChannel.drivable, 0, 3.5)).toBe(255);
    expect(at(raster, BevChannel.drivable, 0, -3.5)).toBe(0);
    expect(count(raster, BevChannel.red)).toBe(0); // the stop line is behind the BEV's 16 m
  });

  it('is deterministic', () => {
    const agents = [straightMotion(60, 5), straightMotion(75, 5)];
    expect(bev(agents, LightColour.yellow)).toEqual(bev(agents, LightColour.yellow));
  });
});
