// One fleet round, the function the flywheel calls: the car model drives the recipe's scenario mix (the teacher
// in shadow), the triggers pick windows, the windows are uploaded to the run's lake with the factory's labels,
// and a report (JSON + Markdown) goes to RUN/round-K/. Rerun: nothing is uploaded twice, the same report bytes.
// Not co-training or redeploying (later rounds of the flywheel).

import { join } from 'node:path';
import { writeFileAtomic } from '../core/atomic.js';
import { lockRunFolder } from '../core/lock.js';
import { startProgress } from '../core/progress.js';
import { generateDeps } from '../data/deps.js';
import { ACTION_BINS_FILE, binsId, runSettings, writeClips } from '../data/generate.js';
import { LakeReader } from '../data/lake-reader.js';
import { sqlList } from '../data/sql.js';
import { loadActionBins } from '../labels/action-bins.js';
import { loadModelDriver } from '../policy/model-driver.js';
import { EpisodeContext, episodeSeries } from '../sim/metrics/index.js';
import { expertTakeover } from '../sim/rollout.js';
import { createScenario } from '../sim/scenarios/index.js';
import { DT } from '../sim/types.js';
import type { Recipe } from '../train/recipe.js';
import { type Agreement, agreementOf, labelClip } from './auto-label.js';
import { type CarSpec, weightsId } from './car.js';
import { driveFleet, planFleet } from './drive.js';
import { fireTriggers } from './triggers/index.js';
import { failedIn, failedStates, scoreTriggers, type TriggerScore } from './truth.js';
import { plannedUpload } from './upload.js';

export interface FleetRoundOptions {
  readonly model: string; // the car model's checkpoint folder
  readonly teacher: string; // the teacher's checkpoint folder (shadow mode and labels)
  readonly run: string; // run folder with a generated lake; the round's report goes to RUN/round-K/
  readonly round: number;
  readonly recipe: Recipe;
  readonly workers?: number; // rollout threads (default 1: this thread)
  readonly quiet?: boolean;
}

export interface FleetRoundReport {
  readonly round: number;
  readonly carModel: string; // content ids of the weights
  readonly teacherModel: string;
  readonly cars: readonly { family: string; seed: number; failures: number; uploads: number }[];
  readonly triggers: readonly TriggerScore[];
  readonly uploads: { readonly clips: number; readonly frames: number };
  readonly labels: { readonly teacher: number; readonly expert: number };
  readonly agreement: Readonly<Record<string, Agreement>>; // teacher against expert, per category
}

export const roundDir = (run: string, round: number) => join(run, `round-${round}`);

/** Drives, triggers, uploads and labels one round; writes RUN/round-K/fleet.json and fleet.md. */
export async function fleetRound(o: FleetRoundOptions): Promise<FleetRoundReport & { written: number }> {
  const lock = lockRunFolder(o.run, 'drivefm fleet');
  try {
    const f = o.recipe.fleet;
    const settings = runSettings(o.run);
    const bins = loadActionBins(join(o.run, ACTION_BINS_FILE));
    const spec = (checkpoint: string, mode: CarSpec['mode']): CarSpec => ({
      kind: 'checkpoint',
      checkpoint,
      mode,
      control: o.recipe.eval.control.rule,
      caution: o.recipe.eval.control.caution,
      seed: settings.seed,
    });
    const episodes = planFleet(f, settings.seed, o.round);
    const progress = startProgress(`fleet round ${o.round}: drive`, episodes.length, { quiet: o.quiet });
    const setup = { car: spec(o.model, f.mode), teacher: spec(o.teacher, f.teacherMode) };
    const rollouts = await driveFleet(setup, episodes, o.workers ?? 1, () => progress.tick());
    progress.stop();

    const carModel = weightsId(o.model);
    const teacherModel = weightsId(o.teacher);
    const teacher = loadModelDriver(o.teacher, { mode: f.teacherMode, seed: settings.seed });
    try {
      const deps = { ...generateDeps(), expertTakeover };
      const upload = {
        round: o.round,
        carModel,
        bins,
        binsId: binsId(bins),
        keyframeEvery: f.keyframeEvery,
        deps,
        label: (frames: Parameters<typeof labelClip>[1]) =>
          labelClip({ driver: teacher, version: teacherModel }, frames, o.round),
      };
      const before = Math.round(f.window.before / DT); // [steps]
      const after = Math.round(f.window.after / DT);
      const judged = rollouts.map((rollout) => {
        const scenario = createScenario(rollout.family, rollout.seed);
        const series = episodeSeries(new EpisodeContext(scenario, rollout.log));
        const failed = failedStates(series, rollout.log.steps + 1);
        const input = {
          scenario,
          log: rollout.log,
          series,
          telemetry: rollout.telemetry,
          thresholds: f.triggers,
        };
        const events = fireTriggers(input, before, after);
        const planned = events.map((e) =>
          plannedUpload(scenario, rollout, e, failedIn(failed, e.start, e.end), upload),
        );
        return { rollout, failed, events, planned };
      });
      const planned = judged.flatMap((j) => j.planned);
      const lake = await deps.openLake(o.run);
      const summary = await writeClips(lake, planned, `fleet round ${o.round}: upload`, o.quiet);
      const report: FleetRoundReport = {
        round: o.round,
        carModel,
        teacherModel,
        cars: judged.map((j) => ({
          family: j.rollout.family,
          seed: j.rollout.seed,
          failures: scoreTriggers([j])[0]!.failures,
          uploads: j.events.length,
        })),
        triggers: scoreTriggers(judged),
        ...(await lakeCounts(
          o.run,
          planned.map((p) => p.key.clipId),
        )),
      };
      const dir = roundDir(o.run, o.round);
      writeFileAtomic(join(dir, 'fleet.json'), `${JSON.stringify(report, null, 2)}\n`);
      writeFileAtomic(join(dir, 'fleet.md'), roundMarkdown(report));
      return { ...report, written: summary.written };
    } finally {
      await teacher.dispose();
    }
  } finally {
    lock.release();
  }
}

/** The round's clips, frames and label rows as the lake holds them (the same on a rerun that wrote nothing). */
async function lakeCounts(
  run: string,
  clipIds: readonly string[],
): Promise<Pick<FleetRoundReport, 'uploads' | 'labels' | 'agreement'>> {
  if (clipIds.length === 0) {
    return { uploads: { clips: 0, frames: 0 }, labels: { teacher: 0, expert: 0 }, agreement: {} };
  }
  const lake = await LakeReader.open(run);
  try {
    const ids = sqlList(clipIds);
    const [clips] = await lake.query(
      `select count(*) as clips, coalesce(sum(frames), 0) as frames from clips where list_contains(${ids}, clip_id)`,
    );
    const rows = await lake.query(
      `select clip_id, step, labeller, category, key, label from auto_labels where list_contains(${ids}, clip_id)`,
    );
    const count = (who: string) => rows.filter((r) => r.labeller === who).length;
    return {
      uploads: { clips: Number(clips!.clips), frames: Number(clips!.frames) },
      labels: { teacher: count('teacher'), expert: count('expert') },
      agreement: agreementOf(rows),
    };
  } finally {
    await lake.close();
  }
}

const share = (x: number | null) => (x === null ? '-' : x.toFixed(2));

/** The round's report as Markdown: clips, precision and recall per trigger; agreement per category. */
export function roundMarkdown(r: FleetRoundReport): string {
  const lines = [
    `# Fleet round ${r.round}`,
    '',
    `Car model ${r.carModel}, teacher ${r.teacherModel}: ${r.cars.length} cars, ${r.uploads.clips} clips uploaded (${r.uploads.frames} keyframes), ${r.labels.teacher} teacher and ${r.labels.expert} expert label rows.`,
    '',
    '| trigger | clips | with a failure | precision | failures caught | recall |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...r.triggers.map(
      (t) =>
        `| ${t.trigger} | ${t.clips} | ${t.clipsWithFailure} | ${share(t.precision)} | ${t.caught}/${t.failures} | ${share(t.recall)} |`,
    ),
    '',
    '| category | teacher labels | agreeing with the expert | agreement |',
    '| --- | ---: | ---: | ---: |',
    ...Object.entries(r.agreement).map(
      ([c, a]) => `| ${c} | ${a.labels} | ${a.agreed} | ${share(a.share)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
