// int8 benchmark: one-thread decision latency and bytes of a checkpoint's vehicle graph in fp32, weight-only int8
// and static int8 (activations calibrated on lake frames), with token agreement and logit error against fp32 on
// held-out lake frames, measured in one run. Prints one JSON line. Not a correctness test (quantise.test.ts).
//
// npm run bench:quantise -- MODEL_DIR RUN_DIR [RECIPE]   (e.g. runs/q/models/student/instruct runs/q small)

import { decisionMs, vehicleDecider } from '../src/compress/latency.js';
import { agreement, calibrate, graphBytes, quantiseFrames } from '../src/compress/quantise.js';
import { loadModelCheckpoint } from '../src/model/checkpoint.js';
import { loadRecipe } from '../src/train/recipe.js';

const [model, lake, recipeName = 'small'] = process.argv.slice(2);
if (!model || !lake) {
  process.stderr.write('usage: npm run bench:quantise -- MODEL_DIR RUN_DIR [RECIPE]\n');
  process.exit(2);
}
const s = loadRecipe(recipeName).compress.quantise;
const ckpt = loadModelCheckpoint(model);
const { calibration, heldOut } = await quantiseFrames(lake, s, 0);
const scales = await calibrate(ckpt, calibration, s.range);
const variants = {
  fp32: { format: 'fp32', activations: { kind: 'float' } },
  weights: { format: 'int8', activations: { kind: 'float' } },
  static: { format: 'int8', activations: { kind: 'static', scales } },
} as const;
const out: Record<string, unknown> = {
  model,
  sites: scales.length,
  calibration_frames: calibration.length,
  held_out_frames: heldOut.length,
  range: s.range,
};
const models = Object.values(variants).map((v) => graphBytes(ckpt, v.format, v.activations));
const latency = await decisionMs(await Promise.all(models.map((m) => vehicleDecider(m, ckpt))), heldOut);
for (const [k, [name, v]] of Object.entries(variants).entries()) {
  const bytes = models[k]!;
  const ms = latency[k]!;
  const a = name === 'fp32' ? undefined : await agreement(ckpt, v.format, v.activations, heldOut);
  out[name] = {
    bytes: bytes.length,
    p50_ms: Number(ms.p50.toFixed(2)),
    p99_ms: Number(ms.p99.toFixed(2)),
    ...(a && {
      agreement: Number(a.agreement.toFixed(4)),
      logit_error: Number(a.logitError.toFixed(4)),
      logit_scale: Number(a.logitScale.toFixed(4)),
    }),
  };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
