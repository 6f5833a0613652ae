import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadJsonConfig, lookup } from './config.js';
import { InputError, UnknownNameError, UsageError } from './errors.js';

const schema = z.strictObject({ sim: z.strictObject({ dt: z.number().positive() }) });

describe('loadJsonConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drivefm-config-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('parses a valid file', () => {
    expect(loadJsonConfig(schema, write('ok.json', '{"sim":{"dt":0.1}}'))).toEqual({ sim: { dt: 0.1 } });
  });

  it('names the file and the dotted field on a bad value', () => {
    const file = write('bad.json', '{"sim":{"dt":-1}}');
    expect(() => loadJsonConfig(schema, file)).toThrow(InputError);
    expect(() => loadJsonConfig(schema, file)).toThrow(`${file}: sim.dt:`);
  });

  it('refuses an unknown key', () => {
    const file = write('extra.json', '{"sim":{"dt":0.1,"dtt":2}}');
    expect(() => loadJsonConfig(schema, file)).toThrow(/sim/);
  });

  it('names the file on malformed JSON', () => {
    const file = write('broken.json', '{"sim":');
    expect(() => loadJsonConfig(schema, file)).toThrow(`${file}: not valid JSON`);
  });
});

describe('lookup', () => {
  const shapes = { circle: 1, square: 4 };

  it('finds own keys and refuses others with a one-line usage error listing the known names', () => {
    expect(lookup(shapes, 'square', 'shape')).toBe(4);
    const error = (() => {
      try {
        lookup(shapes, 'constructor', 'shape');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownNameError);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe("unknown shape 'constructor'; known: circle, square");
    for (const name of ['toString', '__proto__', 'hasOwnProperty', 'valueOf', '']) {
      expect(() => lookup(shapes, name, 'shape'), name).toThrow(`unknown shape '${name}'`);
    }
  });
});
