// The safetensors format: 8-byte little-endian header length, a JSON header (dtype, shape, data_offsets per
// tensor, optional string metadata), then raw little-endian data. Not the training-state layout (checkpoint.ts).

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../core/atomic.js';
import { InputError } from '../core/errors.js';
import type { HostTensor } from './engine.js';
import { type DType, sizeOf, type TensorData } from './types.js';

const CODE: Record<DType, string> = { float32: 'F32', int64: 'I64', int32: 'I32', bool: 'BOOL', int8: 'I8' };
const DTYPE_OF = new Map(Object.entries(CODE).map(([k, v]) => [v, k as DType]));
const BYTES: Record<DType, number> = { float32: 4, int64: 8, int32: 4, bool: 1, int8: 1 };
const HEADER_LIMIT = 100_000_000; // [bytes] the reference implementation's cap on the JSON header
const METADATA = '__metadata__';

export interface Safetensors {
  readonly tensors: Map<string, HostTensor>;
  readonly metadata: Record<string, string>;
}

/** The file's bytes as parts (header, then each tensor's data), in name order. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, HostTensor>,
  metadata: Record<string, string> = {},
) {
  const header: Record<string, unknown> = Object.keys(metadata).length > 0 ? { [METADATA]: metadata } : {};
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const name of [...tensors.keys()].sort()) {
    const t = tensors.get(name)!;
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = {
      dtype: CODE[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + bytes.byteLength],
    };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts 8-byte aligned
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return [prefix, Buffer.from(json, 'utf8'), ...parts];
}

export function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, HostTensor>,
  metadata?: Record<string, string>,
) {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

function typedCopy(dtype: DType, bytes: Uint8Array): TensorData {
  const buf = new Uint8Array(bytes).buffer; // a fresh, aligned copy (Buffer.slice would be a view)
  if (dtype === 'float32') return new Float32Array(buf);
  if (dtype === 'int64') return new BigInt64Array(buf);
  if (dtype === 'int32') return new Int32Array(buf);
  if (dtype === 'int8') return new Int8Array(buf);
  return new Uint8Array(buf);
}

/** Parses safetensors bytes; any inconsistency is an InputError naming `file` and what is wrong. */
export function decodeSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (message: string, field?: string): never => {
    throw new InputError({ file, field, message });
  };
  if (bytes.byteLength < 8) fail(`too short for a safetensors header (${bytes.byteLength} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > HEADER_LIMIT || 8 + headerLength > bytes.byteLength) {
    fail(`header length ${headerLength} does not fit in the file (${bytes.byteLength} bytes)`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + headerLength)).toString('utf8'));
  } catch (cause) {
    throw new InputError({ file, message: `header is not valid JSON (${(cause as Error).message})`, cause });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header is not a JSON object');
  const data = bytes.subarray(8 + headerLength);
  const { [METADATA]: meta = {}, ...entries } = header;
  const metadata = meta as Record<string, string>;
  if (typeof meta !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string')) {
    fail('metadata must map strings to strings', METADATA);
  }
  const tensors = new Map<string, HostTensor>();
  const spans: [number, number][] = [];
  for (const [name, raw] of Object.entries(entries)) {
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = DTYPE_OF.get(String(e?.dtype));
    if (!dtype) fail(`unsupported dtype ${JSON.stringify(e?.dtype)}`, name);
    const shape = e.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) fail('bad shape', name);
    const offsets = e.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isInteger(o) && o >= 0)
    ) {
      fail('bad data_offsets', name);
    }
    const [begin, end] = offsets as [number, number];
    const want = sizeOf(shape as number[]) * BYTES[dtype!];
    if (end - begin !== want) fail(`data_offsets span ${end - begin} bytes, shape needs ${want}`, name);
    if (end > data.byteLength)
      fail(`data_offsets end ${end} past the data (${data.byteLength} bytes): truncated?`, name);
    spans.push([begin, end]);
    tensors.set(name, {
      dtype: dtype!,
      shape: shape as number[],
      data: typedCopy(dtype!, data.subarray(begin, end)),
    });
  }
  spans.sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [begin, end] of spans) {
    if (begin !== at) fail(`tensor data overlaps or leaves a gap at byte ${at}`);
    at = end;
  }
  if (at !== data.byteLength) fail(`${data.byteLength - at} bytes of data after the last tensor`);
  return { tensors, metadata };
}

export function readSafetensors(file: string): Safetensors {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new InputError({ file, message: 'cannot read file', cause });
  }
  return decodeSafetensors(bytes, file);
}
