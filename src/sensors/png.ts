// A minimal PNG encoder for RGB8 images: signature, IHDR, one zlib IDAT (node:zlib), IEND, CRC32 per chunk.
// Not a decoder and not a general image library: no palettes, alpha, interlacing or row filters beyond None.

import { deflateSync } from 'node:zlib';
import { assert } from '../core/assert.js';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG chunks use) of `bytes`. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** PNG bytes of an (H, W, 3) row-major RGB8 image. */
export function encodePng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  assert(
    Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0,
    () => `PNG size must be positive integers, got ${width}x${height}`,
  );
  assert(
    rgb.length === width * height * 3,
    () => `expected ${width * height * 3} RGB bytes, got ${rgb.length}`,
  );
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type RGB, deflate, filter set 0, no interlace
  const stride = width * 3;
  const raw = new Uint8Array((stride + 1) * height); // each row: filter byte 0 (None), then the row
  for (let row = 0; row < height; row++)
    raw.set(rgb.subarray(row * stride, (row + 1) * stride), row * (stride + 1) + 1);
  const parts = [
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
