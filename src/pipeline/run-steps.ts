// The steps of `drivefm run`, built from one recipe (configs/<preset>.json): the expert on the standard suite (the
// simulator's own check), the data lake, every training stage of a teacher and a student (each with its open-loop
// figures) with on-policy rounds between stages, closed-loop evaluations, then report.json and summary.json.
// Not how steps are skipped or redone (runner.ts) and not the recipe's schema (train/recipe.ts).

import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { generateDeps } from '../data/deps.js';
import { ACTION_BINS_FILE, type GenerateSummary, generateLake, SETTINGS_FILE } from '../data/generate.js';
import { LAKE_DIR } from '../data/lake-paths.js';
import { evaluateSuite } from '../eval/closed-loop.js';
import { type Accuracy, evaluateOpenLoop } from '../eval/open-loop.js';
import { suiteJson } from '../eval/report.js';
import { type ClosedRow, REPORT_FILE, type StageRow, saveReport } from '../eval/stage-report.js';
import { driveOnPolicy } from '../fleet/on-policy.js';
import { loadModelDriver } from '../policy/model-driver.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { loadSuite } from '../sim/suites.js';
import type { ModelRole, Recipe } from '../train/recipe.js';
import { runStage } from '../train/run-stage.js';
import { PIPELINE_STAGES, type StageName } from '../train/stages/index.js';
import { type StepHandle, StepList } from './runner.js';

export const SUMMARY_FILE = 'summary.json';

type ModelKey = ModelRole;

export interface RunSettings {
  readonly preset: string; // the recipe's preset name or file
  readonly out: string; // run folder
  readonly seed: number; // base seed
  readonly quiet: boolean;
}

type OnPolicyRow = GenerateSummary & { model: ModelKey; after: StageName };

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
    run: async () => suiteJson(evaluateSuite(suite, () => new ExpertDriver(), { quiet, limit })),
    line: (r) => `  the expert on ${suite.name}: EPDMS ${(r.epdms as number).toFixed(4)}\n`,
  });

  const data = list.add({
    name: 'data',
    params: { preset: p.data, seed },
    outputs: [LAKE_DIR, ACTION_BINS_FILE, SETTINGS_FILE],
    run: () => generateLake({ preset: p.data, out, seed, quiet }, generateDeps()),
    line: (r) => `  the ${p.data} lake: ${r.clips} clips, ${r.frames} frames\n`,
  });

  const stages: StepHandle<StageRow>[] = [];
  const rounds: StepHandle<OnPolicyRow>[] = [];
  for (const model of ['teacher', 'student'] as const) {
    let from: string | undefined;
    for (const stage of PIPELINE_STAGES) {
      const dir = checkpoint(model, stage);
      const previous = from;
      const params = {
        preset: p.models[model],
        stage: p.stages[stage],
        tokenizer: p.tokenizer,
        schedule: p.schedule,
        seed,
        openLoop: { frames: p.eval.openLoopFrames, adherenceFrames: p.eval.adherenceFrames },
      };
      stages.push(
        list.add({
          name: `train ${model} ${stage}`,
          params,
          outputs: [dir],
          run: (wall) =>
            trainAndScore(model, stage, join(out, dir), previous && join(out, previous), p, s, wall),
          line: (r) =>
            `  ${model} ${stage}: loss ${r.lossBefore.toFixed(3)} -> ${r.lossAfter.toFixed(3)}, ` +
            `action tokens ${(100 * r.actionTokens.accuracy).toFixed(0)}%, CoT length ${r.cotLength.toFixed(1)}, ` +
            `instructions followed ${(100 * r.adherence.accuracy).toFixed(0)}%\n`,
        }),
      );
      from = dir;
      if (!p.onPolicy.after.includes(stage)) continue;
      const round = rounds.length; // every round drives new scenarios
      const episodesPerFamily = p.onPolicy.episodesPerFamily;
      rounds.push(
        list.add({
          name: `on-policy ${model} after ${stage}`,
          params: { mode: 'fast', episodesPerFamily, round, seed, control },
          outputs: [LAKE_DIR],
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

  const closed = p.eval.closedLoop.map(({ model, stage, mode }) =>
    list.add({
      name: `closed-loop ${model} ${stage} ${mode}`,
      params: { suite: suite.name, version: suite.version, limit, seed, control },
      outputs: [],
      run: async (): Promise<ClosedRow> => {
        const driver = loadModelDriver(join(out, checkpoint(model, stage)), {
          mode,
          seed,
          control: control.rule,
          caution: control.caution,
        });
        try {
          const result = evaluateSuite(suite, () => driver, { quiet, limit });
          const { episodes, epdms, pdms, atFaultCollisions } = result.summary;
          return { model, stage, mode, suite: suite.name, episodes, epdms, pdms, atFaultCollisions };
        } finally {
          await driver.dispose();
        }
      },
      line: (r) =>
        `  ${model} after ${stage}, ${mode}: EPDMS ${r.epdms.toFixed(4)}, at-fault collisions ${r.atFaultCollisions}\n`,
    }),
  );

  list.add({
    name: 'report',
    params: { preset: s.preset, seed },
    outputs: [REPORT_FILE, SUMMARY_FILE],
    run: async () => {
      const expert = simulate.result();
      const report = {
        preset: s.preset,
        expertEpdms: expert.epdms as number,
        stages: stages.map((h) => h.result()),
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

/** One training stage, then its open-loop figures on held-out frames. */
async function trainAndScore(
  model: ModelKey,
  stage: StageName,
  dir: string,
  from: string | undefined,
  p: Recipe,
  s: RunSettings,
  wall: Record<string, number>,
): Promise<StageRow> {
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
  const open = await evaluateOpenLoop(dir, s.out, {
    frames: p.eval.openLoopFrames,
    adherenceFrames: p.eval.adherenceFrames,
    seed: s.seed,
  });
  return {
    model,
    stage,
    steps: record.steps,
    lossBefore: record.lossBefore,
    lossAfter: record.lossAfter,
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
