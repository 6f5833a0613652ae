// The VLA's architecture config: a strict schema and the named presets (teacher and student at each scale).
// Not training hyper-parameters (train/ owns those) and not the tokenizer (its size is read from the tokenizer).

import { z } from 'zod';
import { lookup } from '../core/config.js';

export const vlaConfigSchema = z
  .strictObject({
    dModel: z.number().int().positive(), // residual width
    layers: z.number().int().positive(), // decoder blocks over the whole sequence
    heads: z.number().int().positive(), // query heads
    headDim: z.number().int().positive().optional(), // width of a head; absent: dModel / heads (a pruned model sets it)
    kvHeads: z.number().int().positive(), // key/value heads (grouped-query attention: heads % kvHeads == 0)
    ffnHidden: z.number().int().positive(), // SwiGLU hidden width
    ropeTheta: z.number().positive(), // rotary base
    normEps: z.number().positive(),
    maxSeq: z.number().int().positive(), // longest sequence the model is built for [tokens]
    camera: z.strictObject({
      width: z.number().int().positive(), // [px]
      height: z.number().int().positive(), // [px]
      patch: z.number().int().positive(), // square patch side [px]
    }),
    bev: z.strictObject({
      size: z.number().int().positive(), // square raster side [cells]
      channels: z.number().int().positive(),
      patch: z.number().int().positive(), // [cells]
    }),
  })
  .refine((c) => c.headDim !== undefined || c.dModel % c.heads === 0, {
    message: 'dModel must be a multiple of heads (or headDim given)',
    path: ['heads'],
  })
  .refine((c) => headWidth(c) % 2 === 0, {
    message: 'a head must be of even width (rotary)',
    path: ['headDim'],
  })
  .refine((c) => c.heads % c.kvHeads === 0, {
    message: 'heads must be a multiple of kvHeads',
    path: ['kvHeads'],
  })
  .refine((c) => c.camera.width % c.camera.patch === 0 && c.camera.height % c.camera.patch === 0, {
    message: 'camera size must be a multiple of the patch',
    path: ['camera', 'patch'],
  })
  .refine((c) => c.bev.size % c.bev.patch === 0, {
    message: 'bev size must be a multiple of the patch',
    path: ['bev', 'patch'],
  });

export type VlaConfig = z.infer<typeof vlaConfigSchema>;

/** A head's width hd: headDim when given (attention then is heads * hd wide, not dModel), else dModel / heads. */
export function headWidth(c: { readonly dModel: number; readonly heads: number; readonly headDim?: number }) {
  return c.headDim ?? c.dModel / c.heads;
}

const CAMERA = { width: 128, height: 64, patch: 16 }; // 8 x 4 = 32 camera tokens
const BEV = { size: 64, channels: 8, patch: 16 }; // 4 x 4 = 16 BEV tokens

/** Presets by name. The teacher is several times the student, as the cloud model is to the car's. */
export const VLA_PRESETS = {
  // tests: seconds on 2 cores
  'tiny-teacher': {
    dModel: 64,
    layers: 2,
    heads: 4,
    kvHeads: 2,
    ffnHidden: 128,
    ropeTheta: 10_000,
    normEps: 1e-6,
    maxSeq: 192,
    camera: CAMERA,
    bev: BEV,
  },
  'tiny-student': {
    dModel: 32,
    layers: 1,
    heads: 2,
    kvHeads: 1,
    ffnHidden: 64,
    ropeTheta: 10_000,
    normEps: 1e-6,
    maxSeq: 192,
    camera: CAMERA,
    bev: BEV,
  },
  // the quickstart: minutes on 2 cores (teacher ~4x the student's parameters)
  'small-teacher': {
    dModel: 192,
    layers: 6,
    heads: 6,
    kvHeads: 2,
    ffnHidden: 512,
    ropeTheta: 10_000,
    normEps: 1e-6,
    maxSeq: 256,
    camera: CAMERA,
    bev: BEV,
  },
  'small-student': {
    dModel: 128,
    layers: 3,
    heads: 4,
    kvHeads: 2,
    ffnHidden: 320,
    ropeTheta: 10_000,
    normEps: 1e-6,
    maxSeq: 256,
    camera: CAMERA,
    bev: BEV,
  },
} as const satisfies Record<string, VlaConfig>;

export function vlaPreset(name: string): VlaConfig {
  return vlaConfigSchema.parse(lookup(VLA_PRESETS, name, 'model preset'));
}
