// A round of on-policy data: a model checkpoint drives training scenarios in the simulator and the expert labels
// the states it reached (data/on-policy.ts), into the run's lake. The flywheel's smallest form: one car, no
// triggers. Not the relabelling itself (data/) and not the model's runtime (runtime/model-driver.ts).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { onPolicyDeps } from '../data/deps.js';
import type { GenerateSummary } from '../data/generate.js';
import { generateOnPolicy } from '../data/on-policy.js';
import { WEIGHTS_FILE } from '../model/checkpoint.js';
import { type DriveMode, loadModelDriver } from '../runtime/model-driver.js';

export interface OnPolicyRound {
  readonly model: string; // checkpoint folder
  readonly out: string; // run folder with the lake
  readonly mode: DriveMode;
  readonly episodesPerFamily: number;
  readonly round?: number;
  readonly seed?: number; // decoding seed
  readonly quiet?: boolean;
}

export async function driveOnPolicy(o: OnPolicyRound): Promise<GenerateSummary> {
  const driver = loadModelDriver(o.model, { mode: o.mode, seed: o.seed });
  try {
    return await generateOnPolicy(
      {
        out: o.out,
        driver,
        driverId: `${driver.name}-${weightsId(o.model)}`,
        episodesPerFamily: o.episodesPerFamily,
        round: o.round,
        quiet: o.quiet,
      },
      onPolicyDeps(),
    );
  } finally {
    await driver.dispose();
  }
}

/** A short content id of a checkpoint's weights: new weights drive new clips, a rerun skips the ones written. */
function weightsId(checkpointDir: string): string {
  const bytes = readFileSync(join(checkpointDir, WEIGHTS_FILE));
  return createHash('sha256').update(bytes).digest('hex').slice(0, 12);
}
