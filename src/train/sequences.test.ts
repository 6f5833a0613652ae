import { describe, expect, it } from 'vitest';
import type { LakeFrame } from '../data/frames.js';
import { drivingPrompt, qaPrompt } from '../model/prompt.js';
import { trainTokenizer } from '../model/tokenizer.js';
import { IGNORE } from '../model/vla.js';
import { assemble, QA_PACK_TOKENS, stageExamples } from './sequences.js';
import { align as alignStage, ruleQa } from './stages/align.js';
import { cotSft } from './stages/cot-sft.js';
import { instruct as instructStage } from './stages/instruct.js';
import { PATH_QA_KEYS, pretrain } from './stages/pretrain.js';

const tok = trainTokenizer(['Follow the road.', 'clear; keep', 'How many lanes?'], {
  vocabSize: 340,
  longitudinalBins: 4,
  lateralBins: 3,
});
const FRAME = { camera: new Uint8Array(0), bev: new Uint8Array(0), ego: { speed: 0 } };
const LONG = 'Red light 20 m ahead. Rule: stop at a red light. Decision: stop.';

function record(i: number, good = true): LakeFrame {
  return {
    good,
    clipId: 'c',
    step: i,
    frame: FRAME,
    instruction: 'Follow the road. Keep your lane.',
    behaviour: 'keep-lane',
    scenarioInstruction: 'Follow the road.',
    actions: [0, 1, 1, 2, 2, 0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    cot: { long: LONG, short: 'red 20m; stop' },
    qa: Array.from({ length: 12 }, (_, k) => ({
      category: k % 2 ? 'tsl' : 'static',
      key: `k${k}`,
      question: 'How many lanes?',
      answer: `${k}`,
    })),
  };
}

describe('sequences', () => {
  it('targets the next token only where its span carries loss', () => {
    const e = assemble(FRAME, [
      { ids: [1, 2, 3], loss: false },
      { ids: [4, 5], loss: true },
    ]);
    expect(e.tokens).toEqual([1, 2, 3, 4, 5]);
    expect(e.targets).toEqual([IGNORE, IGNORE, 4, 5, IGNORE]);
  });

  it('reads the rule and the decision out of a long trace', () => {
    expect(ruleQa(LONG).map((q) => q.answer)).toEqual(['stop at a red light', 'stop']);
    expect(ruleQa('no structure')).toEqual([]);
  });

  it('lays out cot-sft as prompt, CoT, </think><act>, 16 alternating action tokens, </act><eos>', () => {
    const examples = stageExamples(
      cotSft,
      tok,
      Array.from({ length: 16 }, (_, i) => record(i)),
      3,
    );
    const think = examples.find((e) => e.tokens.includes(tok.special('<think>')))!;
    const fast = examples.find(
      (e) => e.tokens.includes(tok.special('<act>')) && !e.tokens.includes(tok.special('<think>')),
    )!;
    const replays = examples.filter((e) => e.tokens[1] === tok.special('<q>'));
    expect(replays.length).toBeGreaterThan(0); // some frames replay their QA so VQA is not forgotten
    expect(replays.length).toBeLessThan(examples.length / 2);
    const prompt = drivingPrompt(tok, 'Follow the road.', 'think');
    expect(think.tokens.slice(0, prompt.length)).toEqual(prompt);
    const act = think.tokens.indexOf(tok.special('<act>'));
    expect(think.tokens[act - 1]).toBe(tok.special('</think>'));
    const actions = think.tokens.slice(act + 1, act + 17);
    expect(actions.map((id) => tok.actionBin(id)!.axis)).toEqual(
      Array.from({ length: 16 }, (_, k) => (k % 2 ? 'lateral' : 'longitudinal')),
    );
    expect(actions.slice(0, 4).map((id) => tok.actionBin(id)!.bin)).toEqual([0, 1, 1, 2]);
    expect(think.tokens.slice(-2)).toEqual([tok.special('</act>'), tok.special('<eos>')]);
    // loss from the first CoT token on; none on the prompt
    expect(think.targets.slice(0, prompt.length - 1).every((t) => t === IGNORE)).toBe(true);
    expect(think.targets[prompt.length - 1]).toBe(think.tokens[prompt.length]);
    expect(fast.tokens.slice(0, drivingPrompt(tok, 'Follow the road.', 'fast').length)).toEqual(
      drivingPrompt(tok, 'Follow the road.', 'fast'),
    );
  });

  it('instruct gives good cases their own instruction and keeps every frame', () => {
    const instruct = (good: boolean) =>
      stageExamples(
        instructStage,
        tok,
        Array.from({ length: 40 }, (_, i) => record(i, good)),
        5,
      )
        .map((e) => tok.decode(e.tokens))
        .filter((text) => text.includes('Follow the road.'));
    // good cases read their own instruction about half the time; other frames only the scenario's
    const own = instruct(true).filter((text) => text.includes('Keep your lane.')).length;
    expect(own).toBeGreaterThan(10);
    expect(own).toBeLessThan(30);
    expect(instruct(false).some((text) => text.includes('Keep your lane.'))).toBe(false);
    expect(instruct(false).length).toBe(40); // and every frame is still trained on
  });

  it('pretrain packs the path questions on their own, beside one pack of the rest', () => {
    const path = [...PATH_QA_KEYS].map((key) => ({
      category: 'dynamic',
      key,
      question: 'Ahead?',
      answer: 'no',
    }));
    const frame = { ...record(0), qa: [...record(0).qa, ...path] };
    const packs = stageExamples(pretrain, tok, [frame], 1).map((e) => tok.decode(e.tokens));
    const [own, ...others] = packs;
    expect((own!.match(/Ahead\?/g) ?? []).length).toBe(PATH_QA_KEYS.size);
    expect(own).not.toContain('How many lanes');
    expect(others).toHaveLength(1); // only the first pack of the twelve other questions, which fill more than one
    expect(others[0]).not.toContain('Ahead?');
    const asked = (others[0]!.match(/How many lanes/g) ?? []).length;
    expect(asked).toBeGreaterThan(0);
    expect(asked).toBeLessThan(12);
  });

  it('packs QA into sequences within the budget, loss on answers only; align keeps rules and TSL', () => {
    const pre = stageExamples(pretrain, tok, [record(0)], 1);
    expect(pre.length).toBe(1); // no path questions: one pack of the rest
    for (const e of pre) {
      expect(e.tokens.length).toBeLessThanOrEqual(QA_PACK_TOKENS);
      expect(e.tokens[0]).toBe(tok.special('<bos>'));
      e.targets.forEach((t, i) => {
        if (t !== IGNORE) expect(e.tokens[i + 1]).toBe(t);
        if (e.tokens[i + 1] === tok.special('<ans>')) expect(t).toBe(IGNORE);
      });
    }
    const align = stageExamples(alignStage, tok, [record(0)], 1);
    const text = align.map((e) => tok.decode(e.tokens)).join('');
    expect(text).toContain('stop at a red light');
    const asked = (text.match(/How many lanes/g) ?? []).length;
    // the six tsl pairs, plus at most one replayed pack of the frame's QA (never all twelve again)
    expect(asked).toBeGreaterThanOrEqual(6);
    expect(asked).toBeLessThan(6 + 12);
  });
});

describe('qaPrompt', () => {
  it('is how a packed QA sequence starts, up to the answer', () => {
    const [first] = stageExamples(pretrain, tok, [record(0)], 1);
    const prompt = qaPrompt(tok, 'How many lanes?');
    expect(first!.tokens.slice(0, prompt.length)).toEqual(prompt);
  });
});
