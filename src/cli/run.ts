// `drivefm run`: the whole pipeline on one preset, into one run folder: the expert on the standard suite (the
// simulator's own check), the data lake, every training stage for a teacher and a student with rounds of
// on-policy data between stages, then open- and closed-loop evaluation; report.json and summary.json at the end.
// Orchestration only: each step is a module.

import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic } from '../core/atomic.js';
import { UsageError } from '../core/errors.js';
import { generateDeps } from '../data/deps.js';
import { type GenerateSummary, generateLake } from '../data/generate.js';
import { checkBaseSeed } from '../data/seeds.js';
import { evaluateSuite } from '../eval/closed-loop.js';
import { type Accuracy, evaluateOpenLoop } from '../eval/open-loop.js';
import { suiteJson, suiteText } from '../eval/report.js';
import { type ClosedRow, reportText, type StageRow, saveReport } from '../eval/stage-report.js';
import { driveOnPolicy } from '../fleet/on-policy.js';
import type { DriveMode } from '../model/prompt.js';
import { loadModelDriver } from '../runtime/model-driver.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { loadSuite } from '../sim/suites.js';
import { runStage } from '../train/run-stage.js';
import { STAGES, type StageName } from '../train/stages/index.js';
import { parseCount } from './flags.js';

/** What one preset of the pipeline runs. */
interface Pipeline {
  readonly data: string; // data preset
  readonly models: Readonly<Record<'teacher' | 'student', string>>; // model presets
  readonly steps: Readonly<Record<StageName, number>>; // optimiser steps per stage
  readonly openLoopFrames: number; // held-out frames per open-loop evaluation
  readonly adherenceFrames: number; // of which (and beyond) instruction adherence and the light state are read on
  /**
   * After these stages each model drives training scenarios and the expert labels what it saw (DAgger). After
   * cot-short, not before it: a round between cot-sft and cot-short made cot-short drive bolder and crash more
   * (README, the figures measured by `npm start`).
   */
  readonly onPolicy: { readonly after: readonly StageName[]; readonly episodesPerFamily: number };
  readonly episodes?: number; // closed-loop episodes of the standard suite (all when absent)
  /** Closed-loop evaluations: which model after which stage in which mode. */
  readonly closedLoop: readonly { model: 'teacher' | 'student'; stage: StageName; mode: DriveMode }[];
}

const CLOSED_LOOP: Pipeline['closedLoop'] = [
  { model: 'teacher', stage: 'cot-sft', mode: 'think' },
  { model: 'teacher', stage: 'cot-short', mode: 'think' },
  { model: 'teacher', stage: 'instruct', mode: 'fast' },
  { model: 'teacher', stage: 'instruct', mode: 'think' },
  { model: 'student', stage: 'instruct', mode: 'fast' },
];

const PIPELINES: Record<string, Pipeline> = {
  // tests and smoke runs: seconds per stage
  tiny: {
    data: 'tiny',
    models: { teacher: 'tiny-teacher', student: 'tiny-student' },
    steps: { pretrain: 20, align: 10, 'cot-sft': 20, 'cot-short': 10, instruct: 10 },
    openLoopFrames: 4,
    adherenceFrames: 8,
    onPolicy: { after: ['cot-short'], episodesPerFamily: 1 },
    episodes: 3,
    closedLoop: CLOSED_LOOP,
  },
  // the quickstart: the whole flow at a size that learns something in minutes on 2 cores
  small: {
    data: 'small',
    models: { teacher: 'small-teacher', student: 'small-student' },
    steps: { pretrain: 2000, align: 350, 'cot-sft': 1200, 'cot-short': 500, instruct: 700 }, // ~16 min for the teacher
    openLoopFrames: 24,
    adherenceFrames: 96,
    onPolicy: { after: ['cot-short'], episodesPerFamily: 12 },
    closedLoop: CLOSED_LOOP,
  },
};

interface RunFlags {
  preset: string;
  out: string;
  seed: string;
  quiet?: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('the pipeline on a preset: simulate, generate the lake, train every stage, evaluate, report')
    .option('--preset <name>', `pipeline preset: ${Object.keys(PIPELINES).join(' | ')}`, 'small')
    .requiredOption('--out <dir>', 'run folder, e.g. runs/quickstart')
    .option('--seed <n>', 'base seed', '0')
    .option('--quiet', 'no progress output')
    .action(async (flags: RunFlags) => {
      const pipeline = PIPELINES[flags.preset];
      if (!pipeline) {
        throw new UsageError(
          `--preset: unknown preset '${flags.preset}'; known: ${Object.keys(PIPELINES).join(', ')}`,
        );
      }
      const seed = parseCount(flags.seed, '--seed');
      checkBaseSeed(seed, '--seed'); // before the first step, not when the lake is generated
      await runPipeline(pipeline, flags.preset, flags.out, seed, flags.quiet ?? false);
    });
}

async function runPipeline(
  p: Pipeline,
  preset: string,
  out: string,
  seed: number,
  quiet: boolean,
): Promise<void> {
  const started = performance.now();
  const say = (line: string) => process.stdout.write(line);
  const suite = loadSuite('standard');
  const limit = p.episodes;

  say('1/4 simulate: the expert on the standard suite\n');
  const expert = evaluateSuite(suite, () => new ExpertDriver(), { quiet, limit });
  say(suiteText(expert));

  say(`2/4 data: the ${p.data} lake in ${out}\n`);
  const data = await generateLake({ preset: p.data, out, seed, quiet }, generateDeps());
  say(
    `  ${data.clips} clips (${data.written} written, ${data.skipped} already there), ${data.frames} frames\n`,
  );

  say('3/4 train: every stage, teacher then student\n');
  const stages: StageRow[] = [];
  const onPolicy: (GenerateSummary & { model: keyof Pipeline['models']; after: StageName })[] = [];
  const checkpoint = (model: string, stage: string) => join(out, 'models', model, stage);
  for (const model of ['teacher', 'student'] as const) {
    let from: string | undefined;
    for (const stage of STAGES) {
      const dir = checkpoint(model, stage);
      const record = await runStage({
        stage,
        lake: out,
        from,
        out: dir,
        preset: p.models[model],
        steps: p.steps[stage],
        seed,
        quiet,
      });
      const open = await evaluateOpenLoop(dir, out, {
        frames: p.openLoopFrames,
        adherenceFrames: p.adherenceFrames,
        seed,
      });
      const qa = pooled(Object.values(open.qa));
      stages.push({
        model,
        stage,
        steps: record.steps,
        lossBefore: record.lossBefore,
        lossAfter: record.lossAfter,
        secondsPerStep: record.secondsPerStep,
        qa,
        lightState: open.lightState,
        actionTokens: open.actionTokens,
        l2At4s: open.l2.at4s,
        adherence: pooled(Object.values(open.adherence)),
        cotTokens: open.cotTokens,
        cotLength: open.cotLength,
      });
      say(
        `  ${model} ${stage}: loss ${record.lossBefore.toFixed(3)} -> ${record.lossAfter.toFixed(3)}, ` +
          `action tokens ${(100 * open.actionTokens.accuracy).toFixed(0)}%, CoT length ${open.cotLength.toFixed(1)}, ` +
          `instructions followed ${(100 * pooled(Object.values(open.adherence)).accuracy).toFixed(0)}%\n`,
      );
      from = dir;
      if (!p.onPolicy.after.includes(stage)) continue;
      const drove = await driveOnPolicy({
        model: dir,
        out,
        mode: 'fast',
        episodesPerFamily: p.onPolicy.episodesPerFamily,
        round: onPolicy.length, // every round drives new scenarios
        seed,
        quiet,
      });
      onPolicy.push({ model, after: stage, ...drove });
      say(
        `  ${model} drove ${drove.clips} training scenarios: ${drove.frames} on-policy frames labelled by the expert\n`,
      );
    }
  }

  say('4/4 evaluate: closed loop on the standard suite\n');
  const closedLoop: ClosedRow[] = [];
  for (const { model, stage, mode } of p.closedLoop) {
    const driver = loadModelDriver(checkpoint(model, stage), { mode, seed });
    const result = evaluateSuite(suite, () => driver, { quiet, limit });
    closedLoop.push({
      model,
      stage,
      mode,
      suite: suite.name,
      episodes: result.summary.episodes,
      epdms: result.summary.epdms,
      pdms: result.summary.pdms,
      atFaultCollisions: result.summary.atFaultCollisions,
    });
    say(`  ${model} after ${stage}, ${mode}: ${suiteText(result)}`);
  }

  const report = { preset, expertEpdms: expert.summary.epdms, stages, closedLoop };
  saveReport(out, report);
  say(reportText(report));
  const summary = {
    preset,
    seed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    simulate: suiteJson(expert),
    data,
    onPolicy,
    report,
  };
  writeFileAtomic(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  say(`done in ${summary.seconds} s: ${join(out, 'report.json')}, ${join(out, 'summary.json')}\n`);
}

/** One accuracy over several: hits and counts summed. */
function pooled(parts: readonly Accuracy[]): Accuracy {
  const n = parts.reduce((sum, a) => sum + a.n, 0);
  const hits = parts.reduce((sum, a) => sum + a.n * a.accuracy, 0);
  return { n, accuracy: n > 0 ? hits / n : 0 };
}
