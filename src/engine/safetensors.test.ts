import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { f32, i64 } from './engine.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from './safetensors.js';

const dir = mkdtempSync(join(tmpdir(), 'drivefm-st-'));
const tensors = new Map([
  ['w', f32([2, 3], [1, 2, 3, 4, 5, 6])],
  ['ids', i64([2], [7, -1])],
]);

function patch(b: Buffer, edit: (b: Buffer) => unknown): Buffer {
  edit(b);
  return b;
}

function corrupt(name: string, edit: (bytes: Buffer) => Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, edit(Buffer.concat(encodeSafetensors(tensors, { step: '3' }))));
  return path;
}

describe('safetensors', () => {
  it('round-trips tensors and metadata, with the header length little-endian first', () => {
    const path = join(dir, 'ok.safetensors');
    writeSafetensors(path, tensors, { step: '3' });
    const bytes = readFileSync(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    expect(JSON.parse(bytes.subarray(8, 8 + headerLength).toString()).w).toEqual({
      dtype: 'F32',
      shape: [2, 3],
      data_offsets: [16, 40], // names sorted: ids (16 bytes) then w
    });
    const back = readSafetensors(path);
    expect(back.metadata).toEqual({ step: '3' });
    expect(Array.from(back.tensors.get('w')!.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(back.tensors.get('ids')!.data as BigInt64Array)).toEqual([7n, -1n]);
  });

  it.each([
    ['truncated data', (b: Buffer) => b.subarray(0, b.length - 4), /past the data .*truncated/],
    [
      'trailing bytes',
      (b: Buffer) => Buffer.concat([b, Buffer.alloc(4)]),
      /4 bytes of data after the last tensor/,
    ],
    [
      'a header length past the end',
      (b: Buffer) => patch(b, (x) => x.writeBigUInt64LE(1n << 40n, 0)),
      /does not fit in the file/,
    ],
    ['a broken header', (b: Buffer) => patch(b, (x) => x.write('#', 8)), /header is not valid JSON/],
    ['too few bytes', (b: Buffer) => b.subarray(0, 5), /too short/],
  ])('refuses a file with %s, naming the file', (name, edit, message) => {
    const path = corrupt(`${name.replace(/ /g, '-')}.safetensors`, edit);
    expect(() => readSafetensors(path)).toThrow(InputError);
    expect(() => readSafetensors(path)).toThrow(message);
    expect(() => readSafetensors(path)).toThrow(path);
  });

  it('refuses a shape that does not match the data span', () => {
    const bytes = Buffer.concat(encodeSafetensors(tensors));
    const text = bytes.toString('latin1').replace('"shape":[2,3]', '"shape":[3,3]');
    expect(() => decodeSafetensors(Buffer.from(text, 'latin1'), 'x.safetensors')).toThrow(
      'x.safetensors: w: data_offsets span 24 bytes, shape needs 36',
    );
  });
});
