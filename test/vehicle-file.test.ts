import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain script with no types, imported as the car would run it
import { loadVehicle } from '../examples/vehicle.mjs';
import { exportVehicle } from '../src/compress/vehicle.js';
import { vehicleGraph } from '../src/compress/vehicle-graph.js';
import { evaluate } from '../src/engine/reference.js';
import { loadModelCheckpoint } from '../src/model/checkpoint.js';
import { drivingPrompt } from '../src/model/prompt.js';
import { loadModelDriver } from '../src/policy/model-driver.js';
import {
  bins,
  config,
  INSTRUCTION,
  params,
  randomFrame,
  tokenizer,
  vehicleFixture,
} from './vehicle-fixture.js';

const { dir, ckptDir, remove } = vehicleFixture('vehicle-file-');
afterAll(remove);

const INT8_AGREEMENT = 0.75; // stated: share of action tokens the int8 file decodes as the fp32 one (untrained tiny model)

describe('the vehicle file in plain onnxruntime (examples/vehicle.mjs)', () => {
  it('fp32: the action tokens equal the reference interpreter and the closed-loop driver; int8 agrees, 2x+ smaller', async () => {
    const fp32 = await exportVehicle(ckptDir, join(dir, 'fp32.onnx'), { int8: false, seed: 0 });
    const int8 = await exportVehicle(ckptDir, join(dir, 'int8.onnx'), { int8: true, seed: 0 });
    expect(fp32.parameters).toBe([...params.values()].reduce((n, p) => n + p.length, 0));
    expect(int8.bytes).toBeLessThan(fp32.bytes / 2); // rotary tables and the empty cache stay fp32
    const carFp32 = await loadVehicle(join(dir, 'fp32.onnx'));
    const carInt8 = await loadVehicle(join(dir, 'int8.onnx'));
    expect(carFp32.meta['drivefm.format']).toBe('drivefm-vehicle-1');
    const ckpt = loadModelCheckpoint(ckptDir);
    const g = vehicleGraph({
      config,
      tokenizer,
      actions: 2 * bins.steps,
      weights: ckpt.params,
      format: 'fp32',
    });
    const driver = loadModelDriver(ckptDir, { mode: 'fast', control: 'mode', threads: 1 });
    const prompt = drivingPrompt(tokenizer, INSTRUCTION, 'fast');
    const room = g.inputs.get('prompt')!.shape[1]!;
    let agree = 0;
    let total = 0;
    for (let seed = 1; seed <= 4; seed++) {
      const f = randomFrame(seed);
      const got = await carFp32.plan(f);
      const feeds = new Map([
        ['camera', Float64Array.from(f.camera)],
        ['bev', Float64Array.from(f.bev)],
        ['speed', Float64Array.of(Math.fround(f.speed))],
        ['prompt', Float64Array.from({ length: room }, (_, i) => prompt[i] ?? 0)],
        ['length', Float64Array.of(prompt.length)],
      ]);
      const want = Array.from(evaluate(g, feeds, true).get(g.outputs.get('actions')!.id)!);
      expect(got.tokens).toEqual(want);
      const driven = driver.plan(
        { camera: f.camera, bev: f.bev, ego: { speed: Math.fround(f.speed) } },
        INSTRUCTION,
      );
      expect(got.bins).toEqual(Array.from(driven.bins));
      const q = await carInt8.plan(f);
      agree += q.tokens.filter((t: number, k: number) => t === got.tokens[k]).length;
      total += got.tokens.length;
    }
    expect(agree / total).toBeGreaterThanOrEqual(INT8_AGREEMENT);
    await Promise.all([carFp32.release(), carInt8.release(), driver.dispose()]);
  }, 120_000);
});
