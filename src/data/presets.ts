// The data-generation presets (which scenarios, how frames are sampled, how many action bins), as strict zod.
// Not the lake layout (lake.ts, schema.ts) and not model or training presets (configs/, model/config.ts).

import { z } from 'zod';
import { lookup, parseConfig } from '../core/config.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';

export const dataPresetSchema = z.strictObject({
  families: z.array(z.enum(SCENARIO_FAMILIES)).min(1), // scenario families to roll out
  seedsPerFamily: z.number().int().positive(), // expert clips per family; scenario seeds derive from the base seed
  perturbedPerFamily: z.number().int().min(0), // more clips per family, with noise bursts the expert recovers from
  frameEvery: z.number().int().positive(), // [steps] between sampled frames (5 = every 0.5 s)
  longitudinalBins: z.number().int().min(2), // acceleration tokens
  lateralBins: z.number().int().min(2), // curvature tokens
});

export type DataPreset = z.infer<typeof dataPresetSchema>;

const PRESETS = {
  // tests: one clip per family, a frame a second; seconds on 2 cores
  tiny: {
    families: [...SCENARIO_FAMILIES],
    seedsPerFamily: 1,
    perturbedPerFamily: 1,
    frameEvery: 10,
    longitudinalBins: 32,
    lateralBins: 32,
  },
  // the quickstart: a few hundred clips, a frame every 0.5 s; a couple of minutes
  small: {
    families: [...SCENARIO_FAMILIES],
    seedsPerFamily: 48,
    perturbedPerFamily: 48,
    frameEvery: 5,
    longitudinalBins: 32,
    lateralBins: 32,
  },
} as const satisfies Record<string, DataPreset>;

export type DataPresetName = keyof typeof PRESETS;
export const DATA_PRESET_NAMES = Object.keys(PRESETS) as DataPresetName[];

export function dataPreset(name: string): DataPreset {
  return parseConfig(dataPresetSchema, lookup(PRESETS, name, 'data preset'), `data preset ${name}`);
}
