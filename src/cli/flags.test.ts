import { describe, expect, it } from 'vitest';
import { parseCount, parseOptionalCount, parseRate, parseShare } from './flags.js';

describe('numeric flags', () => {
  it('parseCount takes decimal digits only', () => {
    expect(parseCount('0', '--seed')).toBe(0);
    expect(parseCount('42', '--seed')).toBe(42);
    expect(parseCount('007', '--seed')).toBe(7);
    for (const bad of [
      '0x10',
      '1e3',
      '',
      ' 5',
      '5 ',
      '5.',
      '5.0',
      '-0',
      '+3',
      '-3',
      '0b1',
      'Infinity',
      '1_000',
    ]) {
      expect(() => parseCount(bad, '--seed'), bad).toThrow(`--seed: expected an integer >= 0, got '${bad}'`);
    }
    expect(() => parseCount('9007199254740993', '--seed')).toThrow(/--seed/); // beyond a safe integer
    expect(() => parseCount('0', '--episodes', 1)).toThrow(/--episodes: expected an integer >= 1, got '0'/);
    expect(parseOptionalCount(undefined, '--steps', 1)).toBeUndefined();
    expect(() => parseOptionalCount('1e3', '--steps', 1)).toThrow(/--steps/);
  });

  it('parseShare takes plain decimals in (0, 1]', () => {
    expect(parseShare('0.25', '--caution')).toBe(0.25);
    expect(parseShare('1', '--caution')).toBe(1);
    for (const bad of ['0', '1.5', '0x1', '1e-1', '', ' 0.5', '.5', '5.', '+0.5', '-0.5', 'NaN']) {
      expect(() => parseShare(bad, '--caution'), bad).toThrow(
        `--caution: expected a decimal number in (0, 1]`,
      );
    }
  });

  it('parseRate takes positive plain decimals (the --lr that took 0x10 and 1e3 before)', () => {
    expect(parseRate('0.0003', '--lr')).toBe(0.0003);
    expect(parseRate('2', '--lr')).toBe(2);
    for (const bad of ['0', '3e-4', '0x10', '1e3', '', ' 1', 'Infinity', '-0.1']) {
      expect(() => parseRate(bad, '--lr'), bad).toThrow(`--lr: expected a decimal number > 0, got '${bad}'`);
    }
  });
});
