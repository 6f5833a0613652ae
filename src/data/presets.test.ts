import { describe, expect, it } from 'vitest';
import { DATA_PRESET_NAMES, dataPreset } from './presets.js';

describe('data presets', () => {
  it('parses every preset', () => {
    for (const name of DATA_PRESET_NAMES) expect(dataPreset(name).families.length).toBeGreaterThan(0);
  });

  it('refuses names inherited from Object, listing the known presets', () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(() => dataPreset(name), name).toThrow(`unknown data preset '${name}'; known: tiny, small`);
    }
  });
});
