// Reads a vehicle .onnx file (compress/vehicle.ts writes it): its graph inputs and the drivefm.* metadata the car
// needs (model config, tokenizer, action bins, token layout), each checked. Not the session (vehicle-model.ts).

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { VEHICLE_FORMAT } from '../compress/vehicle.js';
import { parseConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import { readOnnxSignature, type Signature } from '../engine/onnx.js';
import { ModelProto } from '../engine/onnx-schema.js';
import { type ActionBins, parseActionBins } from '../labels/action-bins.js';
import { type VlaConfig, vlaConfigSchema } from '../model/config.js';
import { Tokenizer } from '../model/tokenizer.js';

/** What a vehicle file holds besides its graph. */
export interface VehicleFile {
  readonly file: string;
  readonly bytes: Uint8Array; // the whole file, for onnxruntime
  readonly inputs: Signature['inputs'];
  readonly preset: string;
  readonly weights: string; // 'fp32' | 'int8' as the export wrote it
  readonly config: VlaConfig;
  readonly tokenizer: Tokenizer;
  readonly bins: ActionBins;
  readonly promptTokens: number; // the prompt input's width
}

const countSchema = z.coerce.number().int().positive();

/** Reads and checks `file`; an InputError names the file and the metadata key at fault. */
export function readVehicleFile(file: string): VehicleFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InputError({ file, message: 'cannot read file', cause });
  }
  const inputs = readOnnxSignature(bytes, file).inputs; // also refuses bytes that are not ONNX
  const props = (ModelProto.decode(bytes) as unknown as { metadata_props?: { key: string; value: string }[] })
    .metadata_props;
  const meta = new Map((props ?? []).map((p) => [p.key, p.value]));
  const text = (key: string): string => {
    const value = meta.get(`drivefm.${key}`);
    if (value === undefined)
      throw new InputError({
        file,
        field: `metadata drivefm.${key}`,
        message: 'missing: not a vehicle file',
      });
    return value;
  };
  const json = (key: string): unknown => {
    try {
      return JSON.parse(text(key));
    } catch (cause) {
      if (cause instanceof InputError) throw cause;
      throw new InputError({ file, field: `metadata drivefm.${key}`, message: 'not valid JSON', cause });
    }
  };
  const format = text('format');
  if (format !== VEHICLE_FORMAT)
    throw new InputError({
      file,
      field: 'metadata drivefm.format',
      message: `'${format}', expected '${VEHICLE_FORMAT}'`,
    });
  return {
    file,
    bytes,
    inputs,
    preset: text('preset'),
    weights: text('weights'),
    config: parseConfig(vlaConfigSchema, json('model'), file, ['metadata drivefm.model']),
    tokenizer: Tokenizer.fromJSON(json('tokenizer'), file, ['metadata drivefm.tokenizer']),
    bins: parseActionBins(json('action_bins'), file, ['metadata drivefm.action_bins']),
    promptTokens: parseConfig(countSchema, text('prompt_tokens'), file, ['metadata drivefm.prompt_tokens']),
  };
}
