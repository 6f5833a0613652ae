import { describe, expect, it } from 'vitest';
import { UnknownNameError } from '../core/errors.js';
import { VLA_PRESETS, vlaConfigSchema, vlaPreset } from './config.js';

describe('VLA config', () => {
  it('accepts every preset', () => {
    for (const name of Object.keys(VLA_PRESETS)) expect(vlaPreset(name).dModel).toBeGreaterThan(0);
  });

  it('refuses an unknown preset, listing the known ones', () => {
    expect(() => vlaPreset('huge')).toThrow(UnknownNameError);
    expect(() => vlaPreset('huge')).toThrow(/tiny-teacher/);
  });

  it('refuses names inherited from Object, which are no presets', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => vlaPreset(name), name).toThrow(`unknown model preset '${name}'; known: tiny-teacher`);
    }
  });

  it('refuses heads that do not group over kvHeads, naming the field', () => {
    const result = vlaConfigSchema.safeParse({ ...VLA_PRESETS['tiny-teacher'], heads: 4, kvHeads: 3 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['kvHeads']);
  });

  it('refuses a patch that does not tile the camera image', () => {
    const camera = { width: 128, height: 64, patch: 24 };
    const result = vlaConfigSchema.safeParse({ ...VLA_PRESETS['tiny-teacher'], camera });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['camera', 'patch']);
  });
});
