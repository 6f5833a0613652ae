// Curation queries over the lake's clips table: good cases (clean, comfortable, enough progress) for SFT, and
// hard cases by trigger (scenario families or a metric condition) for targeted training and evaluation.
// Not the metrics themselves (sim/metrics/, stored per clip at generation) nor the frames' contents.

import { assertNever } from '../core/assert.js';
import { SCENARIO_FAMILIES, type ScenarioFamily } from '../sim/types.js';
import type { LakeReader } from './lake-reader.js';
import type { ClipMetrics } from './records.js';
import type { Split } from './splits.js';
import { sqlList } from './sql.js';

export const DEFAULT_MIN_PROGRESS = 20; // [m] a good case gets somewhere

/** A clip a curation query picked, with the metrics it was picked on. */
export interface CuratedClip {
  readonly clipId: string;
  readonly family: ScenarioFamily;
  readonly split: Split;
  readonly seed: number;
  readonly frames: number;
  readonly metrics: ClipMetrics;
}

/** The clips table's numeric metric columns a trigger may test. */
export const TRIGGER_METRICS = ['progress', 'collisions', 'red_light_violations', 'pdms', 'epdms'] as const;
export type TriggerMetric = (typeof TRIGGER_METRICS)[number];
export type Comparison = '<' | '<=' | '>' | '>=' | '=';

export type HardCaseTrigger =
  | { readonly kind: 'families'; readonly families: readonly ScenarioFamily[] }
  | {
      readonly kind: 'metric';
      readonly metric: TriggerMetric;
      readonly op: Comparison;
      readonly value: number;
    }
  | { readonly kind: 'flag'; readonly flag: 'offroad' | 'uncomfortable' };

/** Clips with no collision, no red-light violation, never off-road, comfortable, and >= minProgress metres. */
export async function goodCases(
  lake: LakeReader,
  minProgress = DEFAULT_MIN_PROGRESS,
): Promise<CuratedClip[]> {
  return selectClips(
    lake,
    `collisions = 0 and red_light_violations = 0 and not offroad and comfortable and progress >= ${finite(minProgress)}`,
  );
}

/** Clips the trigger fires on. */
export async function hardCases(lake: LakeReader, trigger: HardCaseTrigger): Promise<CuratedClip[]> {
  return selectClips(lake, triggerSql(trigger));
}

function triggerSql(trigger: HardCaseTrigger): string {
  switch (trigger.kind) {
    case 'families': {
      const unknown = trigger.families.filter((f) => !SCENARIO_FAMILIES.includes(f));
      if (unknown.length > 0) throw new RangeError(`unknown scenario families: ${unknown.join(', ')}`);
      return trigger.families.length === 0
        ? 'false'
        : `family in (select unnest(${sqlList(trigger.families)}))`;
    }
    case 'metric':
      if (!TRIGGER_METRICS.includes(trigger.metric)) throw new RangeError(`unknown metric ${trigger.metric}`);
      if (!['<', '<=', '>', '>=', '='].includes(trigger.op)) throw new RangeError(`unknown op ${trigger.op}`);
      return `${trigger.metric} ${trigger.op} ${finite(trigger.value)}`;
    case 'flag':
      return trigger.flag === 'offroad' ? 'offroad' : 'not comfortable';
    default:
      return assertNever(trigger, 'hard-case trigger');
  }
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`expected a finite number, got ${value}`);
  return value;
}

async function selectClips(lake: LakeReader, where: string): Promise<CuratedClip[]> {
  const rows = await lake.query(`select * from clips where ${where} order by family, seed, clip_id`);
  return rows.map((r) => ({
    clipId: String(r.clip_id),
    family: r.family as ScenarioFamily,
    split: r.split as Split,
    seed: Number(r.seed),
    frames: Number(r.frames),
    metrics: {
      progress: Number(r.progress),
      collisions: Number(r.collisions),
      redLightViolations: Number(r.red_light_violations),
      offroad: Boolean(r.offroad),
      comfortable: Boolean(r.comfortable),
      pdms: Number(r.pdms),
      epdms: Number(r.epdms),
    },
  }));
}
