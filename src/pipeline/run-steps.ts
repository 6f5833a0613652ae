// The steps of `drivefm run`, built from one recipe (configs/<preset>.json): the expert on the standard suite (the
// simulator's own check), the data lake, every training stage of a teacher and a student (each trained in one step
// and scored open loop in the next) with on-policy rounds between stages, closed-loop evaluations, then report.json
// and summary.json.
// Not how steps are skipped or redone (runner.ts) and not the recipe's schema (train/recipe.ts).

import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { generateDeps } from '../data/deps.js';
import { ACTION_BINS_FILE, generateLake, generateSummarySchema, SETTINGS_FILE } from '../data/generate.js';
import { LAKE_DIR } from '../data/lake-paths.js';
import { type DrivenEpisode, evaluateSuite } from '../eval/closed-loop.js';
import { EPISODES_DIR, saveEpisode } from '../eval/episode-record.js';
import { type Accuracy, evaluateOpenLoop } from '../eval/open-loop.js';
import { suiteJson, suiteJsonSchema } from '../eval/report.js';
import {
  type ClosedRow,
  CURVES_DIR,
  closedRowSchema,
  REPORT_FILE,
  type StageRow,
  saveReport,
  stageRowSchema,
} from '../eval/stage-report.js';
import { driveOnPolicy } from '../fleet/on-policy.js';
import { loadModelDriver } from '../policy/model-driver.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { loadSuite } from '../sim/suites.js';
import type { ModelRole, Recipe } from '../train/recipe.js';
import { RESUME_DIR } from '../train/resume.js';
import { runStage } from '../train/run-stage.js';
import { STAGES, type StageName } from '../train/stages/index.js';
import { type StepHandle, StepList } from './runner.js';

export const SUMMARY_FILE = 'summary.json';

type ModelKey = ModelRole;

export interface RunSettings {
  readonly preset: string; // the recipe's preset name or file
  readonly out: string; // run folder
  readonly seed: number; // base seed
  readonly quiet: boolean;
}

const MODEL_KEYS = ['teacher', 'student'] as const satisfies readonly ModelKey[];

const trainingHalf = { model: true, stage: true, steps: true, lossBefore: true, lossAfter: true } as const;
/** A training step's result: the report row's training half. */
const trainedSchema = stageRowSchema.pick(trainingHalf);
/** A scoring step's result: the report row's open-loop half. */
const scoredSchema = stageRowSchema.omit(trainingHalf);
type Trained = z.infer<typeof trainedSchema>;
type Scored = z.infer<typeof scoredSchema>;

const onPolicyRowSchema = generateSummarySchema.extend({ model: z.enum(MODEL_KEYS), after: z.enum(STAGES) });
type OnPolicyRow = z.infer<typeof onPolicyRowSchema>;

/**
 * The pipeline's steps in order; each later step reads earlier results through their handles. A step's params hold
 * the part of the recipe it reads, so editing the recipe redoes exactly the steps it touches and those after them.
 */
export function pipelineSteps(p: Recipe, s: RunSettings): StepList {
  const list = new StepList();
  const { out, seed, quiet } = s;
  const suite = loadSuite('standard');
  const limit = p.eval.episodes ?? undefined;
  const control = p.eval.control;
  const checkpoint = (model: ModelKey, stage: StageName) => join('models', model, stage);

  const simulate = list.add({
    name: 'simulate',
    params: { suite: suite.name, version: suite.version, limit },
    outputs: [],
    result: suiteJsonSchema,
    run: async () => suiteJson(evaluateSuite(suite, () => new ExpertDriver(), { quiet, limit })),
    line: (r) => `  the expert on ${suite.name}: EPDMS ${r.epdms.toFixed(4)}\n`,
  });

  const data = list.add({
    name: 'data',
    params: { preset: p.data, seed },
    outputs: [LAKE_DIR, ACTION_BINS_FILE, SETTINGS_FILE],
    result: generateSummarySchema,
    run: () => generateLake({ preset: p.data, out, seed, quiet }, generateDeps()),
    line: (r) => `  the ${p.data} lake: ${r.clips} clips, ${r.frames} frames\n`,
  });

  const stages: { trained: StepHandle<Trained>; scored: StepHandle<Scored> }[] = [];
  const rounds: StepHandle<OnPolicyRow>[] = [];
  for (const model of MODEL_KEYS) {
    let from: string | undefined;
    for (const stage of p.runStages) {
      const dir = checkpoint(model, stage);
      const curve = join(CURVES_DIR, model, `${stage}.json`);
      const previous = from;
      const params = {
        preset: p.models[model],
        stage: p.stages[stage],
        tokenizer: p.tokenizer,
        schedule: p.schedule,
        seed,
      };
      const trained = list.add({
        name: `train ${model} ${stage}`,
        params,
        outputs: [dir, curve],
        resumable: [join(dir, RESUME_DIR)], // train's periodic state: a killed stage goes on from there
        result: trainedSchema,
        run: async (wall) => {
          const { trained, losses } = await train(
            model,
            stage,
            join(out, dir),
            previous && join(out, previous),
            p,
            s,
            wall,
          );
          writeFileAtomic(join(out, curve), `${JSON.stringify({ losses })}\n`);
          return trained;
        },
        line: (r) => `  ${model} ${stage}: loss ${r.lossBefore.toFixed(3)} -> ${r.lossAfter.toFixed(3)}\n`,
      });
      const openLoop = { frames: p.eval.openLoopFrames, adherenceFrames: p.eval.adherenceFrames };
      const scored = list.add({
        name: `score ${model} ${stage}`,
        params: { openLoop, seed },
        outputs: [],
        result: scoredSchema,
        run: () => score(join(out, dir), openLoop, s),
        line: (r) =>
          `  ${model} ${stage}: action tokens ${(100 * r.actionTokens.accuracy).toFixed(0)}%, ` +
          `CoT length ${r.cotLength.toFixed(1)}, instructions followed ${(100 * r.adherence.accuracy).toFixed(0)}%\n`,
      });
      stages.push({ trained, scored });
      from = dir;
      if (!p.onPolicy.after.includes(stage)) continue;
      const round = rounds.length; // every round drives new scenarios
      const episodesPerFamily = p.onPolicy.episodesPerFamily;
      rounds.push(
        list.add({
          name: `on-policy ${model} after ${stage}`,
          params: { mode: 'fast', episodesPerFamily, round, seed, control },
          outputs: [LAKE_DIR],
          result: onPolicyRowSchema,
          run: async () => {
            const drove = await driveOnPolicy({
              model: join(out, dir),
              out,
              mode: 'fast',
              episodesPerFamily,
              round,
              seed,
              control: control.rule,
              caution: control.caution,
              quiet,
            });
            return { model, after: stage, ...drove };
          },
          line: (r) =>
            `  ${model} drove ${r.clips} training scenarios: ${r.frames} on-policy frames labelled by the expert\n`,
        }),
      );
    }
  }

  const record = p.eval.recordEpisodes;
  const closed = p.eval.closedLoop.map(({ model, stage, mode }) => {
    const evalName = `${model}-${stage}-${mode}`;
    return list.add({
      name: `closed-loop ${model} ${stage} ${mode}`,
      params: { suite: suite.name, version: suite.version, limit, seed, control, record },
      outputs: record ? [join(EPISODES_DIR, evalName)] : [],
      result: closedRowSchema,
      run: async (): Promise<ClosedRow> => {
        const driver = loadModelDriver(join(out, checkpoint(model, stage)), {
          mode,
          seed,
          control: control.rule,
          caution: control.caution,
        });
        const onEpisode = (driven: DrivenEpisode) =>
          saveEpisode(out, evalName, driven, driver.name, { mode, replans: driver.replans });
        try {
          const result = evaluateSuite(suite, () => driver, {
            quiet,
            limit,
            ...(record ? { onEpisode } : {}),
          });
          const { episodes, epdms, pdms, atFaultCollisions } = result.summary;
          return { model, stage, mode, suite: suite.name, episodes, epdms, pdms, atFaultCollisions };
        } finally {
          await driver.dispose();
        }
      },
      line: (r) =>
        `  ${model} after ${stage}, ${mode}: EPDMS ${r.epdms.toFixed(4)}, at-fault collisions ${r.atFaultCollisions}\n`,
    });
  });

  list.add({
    name: 'report',
    params: { preset: s.preset, seed },
    outputs: [REPORT_FILE, SUMMARY_FILE],
    result: z.null(),
    run: async () => {
      const expert = simulate.result();
      const report = {
        preset: s.preset,
        expertEpdms: expert.epdms as number,
        stages: stages.map((h): StageRow => ({ ...h.trained.result(), ...h.scored.result() })),
        closedLoop: closed.map((h) => h.result()),
      };
      saveReport(out, report);
      const summary = {
        preset: s.preset,
        seed,
        simulate: expert,
        data: data.result(),
        onPolicy: rounds.map((h) => h.result()),
        report,
      };
      writeFileAtomic(join(out, SUMMARY_FILE), `${JSON.stringify(summary, null, 2)}\n`);
      return null;
    },
  });
  return list;
}

/** One training stage (going on from its resume state in `dir` when a killed run left one), with its loss curve. */
async function train(
  model: ModelKey,
  stage: StageName,
  dir: string,
  from: string | undefined,
  p: Recipe,
  s: RunSettings,
  wall: Record<string, number>,
): Promise<{ trained: Trained; losses: readonly number[] }> {
  const record = await runStage({
    stage,
    lake: s.out,
    from,
    out: dir,
    recipe: p,
    preset: p.models[model],
    seed: s.seed,
    quiet: s.quiet,
  });
  wall.secondsPerStep = record.secondsPerStep;
  wall.resumedAt = record.resumedAt;
  const { steps, lossBefore, lossAfter, losses } = record;
  return { trained: { model, stage, steps, lossBefore, lossAfter }, losses };
}

/** A trained stage's open-loop figures on held-out frames. */
async function score(
  dir: string,
  openLoop: { frames: number; adherenceFrames: number },
  s: RunSettings,
): Promise<Scored> {
  const open = await evaluateOpenLoop(dir, s.out, { ...openLoop, seed: s.seed, quiet: s.quiet });
  return {
    qa: pooled(Object.values(open.qa)),
    lightState: open.lightState,
    actionTokens: open.actionTokens,
    l2At4s: open.l2.at4s,
    adherence: pooled(Object.values(open.adherence)),
    cotTokens: open.cotTokens,
    cotLength: open.cotLength,
  };
}

/** One accuracy over several: hits and counts summed. */
function pooled(parts: readonly Accuracy[]): Accuracy {
  const n = parts.reduce((sum, a) => sum + a.n, 0);
  const hits = parts.reduce((sum, a) => sum + a.n * a.accuracy, 0);
  return { n, accuracy: n > 0 ? hits / n : 0 };
}
