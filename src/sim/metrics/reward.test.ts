import { describe, expect, it } from 'vitest';
import { UnknownNameError } from '../../core/errors.js';
import { REWARD_TERM_NAMES, Reward } from './reward.js';

describe('Reward construction', () => {
  it("refuses an unknown term such as 'safety.typo' and lists the known ones", () => {
    let error: unknown;
    try {
      new Reward({ 'safety.nc': 1, 'safety.typo': 2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnknownNameError);
    const e = error as UnknownNameError;
    expect(e.given).toBe('safety.typo');
    expect(e.known).toEqual(REWARD_TERM_NAMES);
    expect(e.message).toContain('safety.nc');
  });

  it('reads weights from a config value and names the file on a bad one', () => {
    expect(Reward.fromConfig({ 'comfort.c': 0.5 }, 'rl.json').weights.get('comfort.c')).toBe(0.5);
    expect(() => Reward.fromConfig({ 'comfort.c': 'high' }, 'rl.json')).toThrow(/rl\.json: comfort\.c/);
  });

  it('keeps the weights of known terms', () => {
    const r = new Reward({ 'safety.nc': 10, 'efficiency.ep': 1 });
    expect([...r.weights]).toEqual([
      ['safety.nc', 10],
      ['efficiency.ep', 1],
    ]);
  });
});
