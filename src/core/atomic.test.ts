import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic.js';

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temp file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-atomic-'));
    const path = join(dir, 'sub', 'a.bin');
    writeFileAtomic(path, 'first');
    writeFileAtomic(path, [Buffer.from('sec'), 'ond']);
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['a.bin']);
  });

  it('leaves the old file intact when the write fails', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-atomic-'));
    const path = join(dir, 'a.txt');
    writeFileSync(path, 'old');
    const bad = [Buffer.from('x'), null as unknown as string];
    expect(() => writeFileAtomic(path, bad)).toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('removes its temp file when the rename fails (the target is a folder)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-atomic-'));
    const path = join(dir, 'taken');
    mkdirSync(join(path, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(path, 'data')).toThrow(
      expect.objectContaining({ path: expect.any(String) }),
    );
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readdirSync(path)).toEqual(['inside']);
  });
});
