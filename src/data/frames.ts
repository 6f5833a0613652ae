// The lake's frame reader: a seeded sample of a split's frames with their images, ego state, instructions, CoT and
// action tokens and QA pairs, as training and open-loop evaluation read them, and the text corpus for the tokenizer.
// Not what generation writes (records.ts), not sequence layout (train/) and not curation (curate.ts).

import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { type ActionBins, loadActionBins } from '../labels/action-bins.js';
import type { BehaviourInstruction } from '../labels/instructions.js';
import type { VlaFrame } from '../model/vla.js';
import { goodCases } from './curate.js';
import { ACTION_BINS_FILE } from './generate.js';
import type { JsRow, LakeReader } from './lake-reader.js';
import { sqlList, sqlString } from './sql.js';

/** The action bins data generation fitted, saved in the run folder beside the lake. */
export function lakeActionBins(lake: string): ActionBins {
  return loadActionBins(join(lake, ACTION_BINS_FILE));
}

export interface QaRow {
  readonly category: string;
  readonly key: string;
  readonly question: string;
  readonly answer: string;
}

/** One lake frame as it is read back (generation writes a records.ts FrameRecord, with its labels). */
export interface LakeFrame {
  readonly clipId: string;
  readonly step: number;
  readonly frame: VlaFrame;
  readonly instruction: string; // the frame's navigation + behaviour instruction
  readonly behaviour: BehaviourInstruction; // the behaviour part of it, as a kind
  readonly scenarioInstruction: string; // the clip's instruction, what a closed-loop driver is given
  readonly actions: readonly number[] | null; // (2H,) bins interleaved lon, lat
  readonly cot: { readonly long: string; readonly short: string } | null;
  readonly qa: readonly QaRow[];
  readonly good: boolean; // its clip is a curated good case (only when the query asked to mark them)
}

export interface FrameQuery {
  readonly maxFrames: number; // at most this many frames, a seeded sample of the candidates
  readonly seed: number;
  readonly markGood?: boolean; // set each record's `good` (data/curate.ts's good cases); false everywhere otherwise
  readonly split?: 'train' | 'val' | 'test'; // default train (evaluation reads val or test)
  /**
   * A QA key (e.g. 'light_state') whose answers stratify the draw: frames are taken from each answer's shuffled
   * frames in turn, so a rare answer (a red light) is not drowned by a common one (no light). Plain sample if absent.
   */
  readonly balanceBy?: string;
}

const key = (clipId: string, step: number) => `${clipId}:${step}`;

/** Frames of a split (training by default; a seeded sample, even over `balanceBy`'s answers), in a stable order. */
export async function readFrames(lake: LakeReader, q: FrameQuery): Promise<LakeFrame[]> {
  const split = q.split ?? 'train';
  const where = `f.split = '${split}'`;
  const good = new Set<string>();
  if (q.markGood) {
    for (const c of await goodCases(lake)) if (c.split === split) good.add(c.clipId);
    if (good.size === 0)
      throw new InputError({ file: lake.out, message: 'no good training clips to curate' });
  }
  const stratum = q.balanceBy
    ? `(select min(a.answer) from qa a where a.clip_id = f.clip_id and a.step = f.step and a.key = ${sqlString(q.balanceBy)})`
    : `''`;
  const candidates = await lake.query(
    `select f.clip_id, f.step, ${stratum} as stratum from frames f where ${where} order by 1, 2`,
  );
  if (candidates.length === 0)
    throw new InputError({ file: lake.out, message: 'no training frames in the lake' });
  const strata = new Map<string, string[]>(); // answer -> frame keys (one stratum without balanceBy)
  for (const r of candidates) {
    const answer = String(r.stratum);
    const keys = strata.get(answer) ?? [];
    keys.push(key(String(r.clip_id), Number(r.step)));
    strata.set(answer, keys);
  }
  const ordered = [...strata].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, keys]) => keys);
  const chosen = drawBalanced(ordered, q.maxFrames, new Rng(q.seed)).sort();
  const inKeys = `f.clip_id || ':' || f.step in (select unnest(${sqlList(chosen)}))`;
  const rows = await lake.query(
    `select f.clip_id, f.step, f.camera, f.bev, f.ego_speed, f.instruction, f.behaviour,
       c.scenario_instruction, a.tokens, t.long, t.short
     from frames f join clips c on c.clip_id = f.clip_id
       left join actions a on a.clip_id = f.clip_id and a.step = f.step
       left join cot t on t.clip_id = f.clip_id and t.step = f.step
     where ${inKeys} order by f.clip_id, f.step`,
  );
  const qa = new Map<string, QaRow[]>();
  const qaRows = await lake.query(
    `select f.clip_id, f.step, f.category, f.key, f.question, f.answer from qa f where ${inKeys}
     order by f.clip_id, f.step, f.category, f.key, f.question`,
  );
  for (const r of qaRows) {
    const k = key(String(r.clip_id), Number(r.step));
    const list = qa.get(k) ?? [];
    list.push({
      category: String(r.category),
      key: String(r.key),
      question: String(r.question),
      answer: String(r.answer),
    });
    qa.set(k, list);
  }
  return rows.map((r) =>
    toRecord(r, qa.get(key(String(r.clip_id), Number(r.step))) ?? [], good.has(String(r.clip_id))),
  );
}

/** Up to `count` keys taken from each stratum's seeded shuffle in turn until every stratum is spent. */
function drawBalanced(strata: readonly string[][], count: number, rng: Rng): string[] {
  const shuffled = strata.map((keys) => rng.shuffle([...keys]));
  const out: string[] = [];
  for (let k = 0; out.length < count && shuffled.some((keys) => k < keys.length); k++) {
    for (const keys of shuffled) if (k < keys.length && out.length < count) out.push(keys[k]!);
  }
  return out;
}

function toRecord(r: JsRow, qa: readonly QaRow[], good: boolean): LakeFrame {
  return {
    clipId: String(r.clip_id),
    step: Number(r.step),
    frame: {
      camera: r.camera as Uint8Array,
      bev: r.bev as Uint8Array,
      ego: { speed: Number(r.ego_speed) },
    },
    instruction: String(r.instruction),
    behaviour: String(r.behaviour) as BehaviourInstruction,
    scenarioInstruction: String(r.scenario_instruction),
    actions: Array.isArray(r.tokens) ? r.tokens.map(Number) : null,
    cot: r.long === null ? null : { long: String(r.long), short: String(r.short) },
    qa,
    good,
  };
}

/** Every text the model will read or write: QA, CoT traces and instructions (the tokenizer's corpus). */
export async function textCorpus(lake: LakeReader): Promise<string[]> {
  const texts: string[] = [];
  const add = async (sql: string) => {
    for (const r of await lake.query(sql)) for (const v of Object.values(r)) texts.push(String(v));
  };
  await add('select question, answer from qa order by all');
  await add('select long, short from cot order by all');
  await add('select distinct instruction from frames order by all');
  await add('select distinct scenario_instruction from clips order by all');
  return texts;
}
