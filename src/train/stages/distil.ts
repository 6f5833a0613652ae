// Distillation: the student learns the frozen teacher's next-token distributions (KL at a temperature) on the
// driving sequences of lake frames (on-policy clips included), think (short CoT) and fast, mixed with the expert's
// ground truth. Not pruning (compress/prune.ts) nor the sequences' layout (driving.ts).
//
// The teacher is teacher-forced on the lake's own short trace: its distribution at every CoT and action position
// is the target, not a trace sampled from it (word-level distillation, not sequence-level).

import { UsageError } from '../../core/errors.js';
import type { Graph } from '../../engine/graph.js';
import { crossEntropy, klDivergence, targetMask } from '../../engine/losses.js';
import type { VlaConfig } from '../../model/config.js';
import { declareInputs, declareVla, IGNORE, maxText, patchShapes, vlaLogits } from '../../model/vla.js';
import { NEXT_TOKEN } from '../objective.js';
import type { DistilSettings, Objective, OfflineStage, Teacher } from '../stage.js';
import { TEACHER_SCOPE } from '../stage.js';
import { drivingStage } from './driving.js';

/** The teacher must see what the student sees: the same patches and at least the student's text length. */
function checkTeacher(student: VlaConfig, teacher: VlaConfig): void {
  if (JSON.stringify(patchShapes(student)) !== JSON.stringify(patchShapes(teacher))) {
    throw new UsageError('distil: the teacher and the student must share camera and BEV patch shapes');
  }
  if (maxText(teacher) < maxText(student)) {
    throw new UsageError(
      `distil: the teacher takes ${maxText(teacher)} text tokens, the student ${maxText(student)}`,
    );
  }
}

/**
 * (1 - mix) CE(ground truth) + mix T^2 KL(teacher_T || student_T), both over the positions that carry loss; the
 * T^2 keeps the KL's gradient the size of the CE's as T grows (Hinton et al., 2015).
 */
export function distilObjective(teacher: Teacher, s: DistilSettings): Objective {
  return {
    feeds: NEXT_TOKEN.feeds,
    loss(g: Graph, c: VlaConfig, vocab: number, batch: number, text: number) {
      if (teacher.vocab !== vocab) {
        throw new UsageError(`distil: the teacher's vocabulary is ${teacher.vocab}, the student's ${vocab}`);
      }
      checkTeacher(c, teacher.config);
      const w = declareVla(g, c, vocab);
      const wt = declareVla(g, teacher.config, vocab, TEACHER_SCOPE);
      const x = declareInputs(g, c, batch, text);
      const targets = g.reshape(g.input('targets', [batch, text], 'int64'), [batch * text]); // (B*S)
      const flat = (t: ReturnType<typeof vlaLogits>) => g.reshape(t, [batch * text, vocab]); // (B*S, V)
      const student = flat(vlaLogits(g, c, vocab, w, x));
      const taught = flat(vlaLogits(g, teacher.config, vocab, wt, x));
      const ce = crossEntropy(g, student, targets, IGNORE);
      const kl = klDivergence(g, taught, student, targetMask(g, targets, IGNORE), s.temperature);
      return g.add(g.mul(ce, 1 - s.mix), g.mul(kl, s.mix * s.temperature ** 2));
    },
  };
}

export const distil = {
  ...drivingStage({
    name: 'distil',
    markGood: false,
    trace: (cot) => cot.short,
    instruction: (r) => r.scenarioInstruction,
  }),
  startsFresh: true, // a fresh student (with the teacher's tokenizer) unless --from gives one
  taught: distilObjective,
} as const satisfies OfflineStage;
