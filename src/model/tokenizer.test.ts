import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { SPECIAL_TOKENS, Tokenizer, trainTokenizer } from './tokenizer.js';

const corpus = [
  'Red light 18 m ahead; lead car stopped; decelerate to stop before the line.',
  'Green light; road clear; keep speed.',
  'Red light 25 m ahead; decelerate to stop before the line.',
  'Pedestrian on the crosswalk; yield and stop before the line.',
];
const options = { vocabSize: 420, longitudinalBins: 32, lateralBins: 16 };

describe('Tokenizer', () => {
  it('round-trips any text, including text it never saw', () => {
    const tok = trainTokenizer(corpus, options);
    for (const text of [...corpus, 'Überholen verboten: 120 km/h!', '  two  spaces ']) {
      expect(tok.decode(tok.encode(text))).toBe(text);
    }
  });

  it('learns merges that shorten frequent text', () => {
    const tok = trainTokenizer(corpus, options);
    const text = corpus[0]!;
    expect(tok.spec.merges.length).toBeGreaterThan(20);
    expect(tok.encode(text).length).toBeLessThan(Buffer.byteLength(text) / 2);
    expect(tok.vocabSize).toBe(SPECIAL_TOKENS.length + 32 + 16 + 256 + tok.spec.merges.length);
    expect(tok.vocabSize).toBeLessThanOrEqual(420);
  });

  it('keeps digits as separate tokens so numbers are read digit by digit', () => {
    const tok = trainTokenizer(corpus, options);
    expect(tok.encode('18').length).toBe(2);
  });

  it('is deterministic: the same corpus gives the same merges', () => {
    expect(trainTokenizer(corpus, options).toJSON()).toEqual(trainTokenizer([...corpus], options).toJSON());
  });

  it('places special and action tokens at fixed ids and names them when decoding', () => {
    const tok = trainTokenizer(corpus, options);
    expect(tok.special('<pad>')).toBe(0);
    const ids = [tok.special('<act>'), tok.longitudinal(3), tok.lateral(15), tok.special('</act>')];
    expect(tok.decode(ids)).toBe('<act><lon_3><lat_15></act>');
    expect(tok.actionBin(tok.lateral(15))).toEqual({ axis: 'lateral', bin: 15 });
    expect(tok.actionBin(tok.special('<act>'))).toBeNull();
    expect(() => tok.longitudinal(32)).toThrow(/outside \[0, 32\)/);
    // special-token spellings typed as text stay text
    expect(tok.encode('<act>')).not.toContain(tok.special('<act>'));
  });

  it('saves and loads to an identical tokenizer, and names the file and field of a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-tok-'));
    const tok = trainTokenizer(corpus, options);
    const path = join(dir, 'tokenizer.json');
    tok.save(path);
    const loaded = Tokenizer.load(path);
    expect(loaded.encode(corpus[2]!)).toEqual(tok.encode(corpus[2]!));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...tok.toJSON(), lateralBins: -1 }));
    expect(() => Tokenizer.load(bad)).toThrow(InputError);
    expect(() => Tokenizer.load(bad)).toThrow(`${bad}: lateralBins`);
    writeFileSync(bad, JSON.stringify({ ...tok.toJSON(), merges: [[999999, 1]] }));
    expect(() => Tokenizer.load(bad)).toThrow(`${bad}: merges`);
  });
});
