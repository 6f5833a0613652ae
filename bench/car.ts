// Car benchmark: decision latency (p50/p99, one thread) and bytes of the teacher thinking (its checkpoint through
// the engine, think mode) and of the int8 vehicle file (through the runtime's model and watchdog), measured in the
// same run on the same sensor frames. Prints one JSON line. Not driving quality (drivefm eval).
//
// npm run bench:car [-- --teacher DIR] [--student DIR] [--frames N]; without --teacher: untrained tiny models.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportVehicle } from '../src/compress/vehicle.js';
import { saveModelCheckpoint, WEIGHTS_FILE } from '../src/model/checkpoint.js';
import { vlaPreset } from '../src/model/config.js';
import type { VlaFrame } from '../src/model/vla.js';
import { VlaModel } from '../src/model/vla.js';
import { loadModelDriver, senseFrame } from '../src/policy/model-driver.js';
import { systemClock } from '../src/runtime/clock.js';
import { percentile } from '../src/runtime/stats.js';
import { loadVehicleModel } from '../src/runtime/vehicle-model.js';
import { Watchdog } from '../src/runtime/watchdog.js';
import { ExpertDriver } from '../src/sim/agents/expert/expert.js';
import { runEpisode } from '../src/sim/rollout.js';
import { createScenario } from '../src/sim/scenarios/index.js';
import { PLAN_EVERY, type Scenario, type WorldState } from '../src/sim/types.js';
import { bins, tok } from '../src/train/rl/fixtures.js';

const FAMILIES = ['nominal-urban', 'cut-in', 'unprotected-left'] as const; // frames of city, highway and junction
const BUDGET = 1e9; // [ms] the bench measures, it does not judge

const { values } = parseArgs({
  options: {
    teacher: { type: 'string' },
    student: { type: 'string' },
    frames: { type: 'string', default: '24' },
  },
});
const frameCount = Number(values.frames);
const scratch = mkdtempSync(join(tmpdir(), 'bench-car-'));

/** An untrained checkpoint of `preset` (latency and bytes do not depend on training, think-mode CoT length aside). */
function untrained(preset: string): string {
  const dir = join(scratch, preset);
  const config = vlaPreset(preset);
  const params = VlaModel.init(config, tok.vocabSize, 0).params;
  saveModelCheckpoint(dir, { preset, config, tokenizer: tok, bins, params, stages: [] });
  return dir;
}

/** Sensor frames every plan step of the expert's episodes, `frameCount` in all. */
function frames(): { frame: VlaFrame; instruction: string }[] {
  const out: { frame: VlaFrame; instruction: string }[] = [];
  const expert = new ExpertDriver();
  const recorder = {
    name: 'recorder',
    reset: (s: Scenario) => expert.reset(s),
    act(s: Scenario, state: WorldState) {
      if (state.step % PLAN_EVERY === 0 && out.length < frameCount)
        out.push({ frame: senseFrame(s, state), instruction: s.instruction });
      return expert.act(s, state);
    },
  };
  for (let i = 0; out.length < frameCount; i++)
    runEpisode(createScenario(FAMILIES[i % FAMILIES.length]!, i), recorder);
  return out;
}

const summary = (ms: number[]) => ({ p50_ms: percentile(ms, 0.5), p99_ms: percentile(ms, 0.99) });
const round = (x: number) => Number(x.toFixed(2));

const teacherDir = values.teacher ?? untrained('tiny-teacher');
const sibling = join(dirname(dirname(teacherDir)), 'student', 'instruct');
const studentDir =
  values.student ?? (values.teacher && existsSync(sibling) ? sibling : untrained('tiny-student'));
const vehicleFile = join(scratch, 'vehicle-int8.onnx');
const exported = await exportVehicle(studentDir, vehicleFile, { int8: true, seed: 0 });
const seen = frames();
const load = loadavg()[0]!;

const teacher = loadModelDriver(teacherDir, { mode: 'think', threads: 1 });
const teacherMs = seen.map(({ frame, instruction }) => {
  const started = performance.now();
  teacher.plan(frame, instruction);
  return performance.now() - started;
});
await teacher.dispose();

const car = loadVehicleModel(vehicleFile);
const watchdog = new Watchdog(systemClock, BUDGET);
const carMs = seen.map(({ frame, instruction }) => watchdog.time(() => car.actions(frame, instruction)).ms);
await car.dispose();

const t = summary(teacherMs);
const v = summary(carMs);
const teacherBytes = statSync(join(teacherDir, WEIGHTS_FILE)).size;
console.log(
  JSON.stringify({
    frames: seen.length,
    threads: 1,
    teacher: {
      checkpoint: teacherDir,
      mode: 'think',
      p50_ms: round(t.p50_ms),
      p99_ms: round(t.p99_ms),
      bytes: teacherBytes,
    },
    vehicle: {
      student: studentDir,
      weights: 'int8',
      p50_ms: round(v.p50_ms),
      p99_ms: round(v.p99_ms),
      bytes: exported.bytes,
    },
    p50_speedup: round(t.p50_ms / v.p50_ms),
    bytes_ratio: round(teacherBytes / exported.bytes),
    load_1min: round(load),
  }),
);
rmSync(scratch, { recursive: true, force: true });
