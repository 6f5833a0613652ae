import { afterEach, describe, expect, it, vi } from 'vitest';
import { rateText, startProgress } from './progress.js';

describe('progress', () => {
  afterEach(() => vi.restoreAllMocks());

  it('rate reads as units per second, or seconds each when slower than one a second', () => {
    expect(rateText(30, 10)).toBe('3.0/s');
    expect(rateText(2, 9)).toBe('4.5 s each');
    expect(rateText(0, 3)).toBe('-/s');
  });

  it('not on a terminal: a few plain lines with the rate and ETA, then one done line', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const tty = process.stderr.isTTY;
    process.stderr.isTTY = false;
    try {
      const progress = startProgress('eval', 20);
      for (let i = 0; i < 20; i++) progress.tick();
      progress.stop();
      progress.stop(); // a second stop prints nothing
    } finally {
      process.stderr.isTTY = tty;
    }
    expect(lines).toHaveLength(10); // 9 progress lines at 2, 4, ..., 18 and the done line
    expect(lines[0]).toMatch(/^eval: 2\/20 \([0-9.]+ s, ([0-9.]+\/s|-\/s|[0-9.]+ s each), eta [0-9]+ s\)\n$/);
    expect(lines.at(-1)).toMatch(/^eval: done 20\/20 in [0-9.]+ s \(.+\)\n$/);
  });

  it('quiet prints nothing', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const progress = startProgress('x', 5, { quiet: true });
    progress.tick(5);
    progress.stop();
    expect(write).not.toHaveBeenCalled();
  });
});
