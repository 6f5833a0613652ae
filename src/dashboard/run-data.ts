// What the dashboard's /api/ answers, read from a run folder's files only: the index (what exists, what is missing),
// closed-loop scores with bootstrap intervals from the episode records, and the lake's counts through DuckDB.
// Not the HTTP server (server.ts) nor the page (static/).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAKE_DIR } from '../data/lake-paths.js';
import { LakeReader } from '../data/lake-reader.js';
import { type Interval, meanOf, Resamples } from '../eval/bootstrap.js';
import { EPISODES_DIR, episodeRecordSchema, listEpisodes } from '../eval/episode-record.js';
import { CURVES_DIR } from '../eval/stage-report.js';

/** The files the page expects in a run folder, and what writes each: listed as missing until they exist. */
const EXPECTED = {
  'steps.json': 'drivefm run (the steps finished so far)',
  'report.json': "drivefm run's report step",
  'summary.json': "drivefm run's report step",
  'times.json': 'drivefm run (wall times)',
  [LAKE_DIR]: "drivefm run's data step",
  models: "drivefm run's training steps",
  [CURVES_DIR]: "drivefm run's training steps (per-step losses)",
  [EPISODES_DIR]: "drivefm run's closed-loop steps (recipe eval.recordEpisodes)",
} as const;

const ROUND = /^round-\d+$/; // a flywheel round's folder inside the run: round-0, round-1, ...

function folders(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
}

/** The run's own folder ('') and its rounds' folders (round-K), in round order. */
export function runRoots(run: string): string[] {
  const rounds = folders(run).filter((f) => ROUND.test(f));
  rounds.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));
  return ['', ...rounds];
}

/** What one root (the run, or one round) holds. */
function rootIndex(dir: string) {
  const missing = Object.entries(EXPECTED)
    .filter(([f]) => !existsSync(join(dir, f)))
    .map(([file, writer]) => ({ file, writer }));
  const models = folders(join(dir, 'models')).flatMap((m) =>
    folders(join(dir, 'models', m)).map((stage) => `${m}/${stage}`),
  );
  const curves = folders(join(dir, CURVES_DIR)).flatMap((m) =>
    readdirSync(join(dir, CURVES_DIR, m))
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => `${m}/${f.slice(0, -'.json'.length)}`),
  );
  return { missing, models, curves, episodes: listEpisodes(dir) };
}

/** What the page's index shows: per root (the run, then each round), what exists and what is missing. */
export function runIndex(run: string): Record<string, unknown> {
  const index = rootIndex(run);
  const rounds = runRoots(run)
    .slice(1)
    .map((round) => ({ round, ...rootIndex(join(run, round)) }));
  return { run, ...index, rounds };
}

export interface EvalScores {
  readonly root: string; // '' for the run, round-K for a round
  readonly eval: string;
  readonly episodes: number;
  readonly epdms: Interval; // 95% bootstrap interval over the recorded episodes
  readonly pdms: Interval;
  readonly unreadable: number; // records that did not parse (being written by an older format, damaged)
}

/** Each recorded evaluation's EPDMS and PDMS with 95% bootstrap intervals over its episodes, per root. */
export function runScores(run: string): EvalScores[] {
  const out: EvalScores[] = [];
  for (const root of runRoots(run)) {
    for (const { eval: name, ids } of listEpisodes(join(run, root))) {
      const scores: { epdms: number; pdms: number }[] = [];
      let unreadable = 0;
      for (const id of ids) {
        const file = join(run, root, EPISODES_DIR, name, `${id}.json`);
        const parsed = episodeRecordSchema.shape.score.safeParse(safeJson(file)?.score);
        if (parsed.success) scores.push(parsed.data);
        else unreadable++;
      }
      if (scores.length === 0) continue;
      const resamples = new Resamples(scores.length);
      const interval = (key: 'epdms' | 'pdms') => resamples.interval(meanOf(scores.map((s) => s[key])));
      out.push({
        root,
        eval: name,
        episodes: scores.length,
        epdms: interval('epdms'),
        pdms: interval('pdms'),
        unreadable,
      });
    }
  }
  return out;
}

function safeJson(file: string): { score?: unknown } | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** One group of the lake browser: a table and column, and the count of each value. */
export interface LakeCounts {
  readonly table: string;
  readonly by: string;
  readonly counts: readonly { value: string; count: number }[];
}

/** The groups the lake browser shows: (table, column) pairs; rows are counted per value. */
const LAKE_GROUPS = [
  ['clips', 'family'],
  ['clips', 'source'],
  ['clips', 'split'],
  ['frames', 'family'],
  ['labels', 'category'],
  ['qa', 'category'],
] as const;

/**
 * The lake's counts, through DuckDB over its Parquet files (LakeReader validates every file first): rows per table,
 * then each LAKE_GROUPS column's values; null when the run has no lake yet. Triggers and rounds are not columns of
 * the lake (schema version 2), so they are not counted here.
 */
export async function lakeSummary(run: string): Promise<{ tables: LakeCounts; groups: LakeCounts[] } | null> {
  if (!existsSync(join(run, LAKE_DIR))) return null;
  const lake = await LakeReader.open(run);
  try {
    const tables: { value: string; count: number }[] = [];
    for (const table of Object.keys(lake.files)) {
      const [row] = await lake.query(`select count(*) as n from ${table}`);
      tables.push({ value: table, count: Number(row?.n ?? 0) });
    }
    const groups: LakeCounts[] = [];
    for (const [table, by] of LAKE_GROUPS) {
      const rows = await lake.query(
        `select ${by} as value, count(*) as n from ${table} group by ${by} order by ${by}`,
      );
      groups.push({ table, by, counts: rows.map((r) => ({ value: String(r.value), count: Number(r.n) })) });
    }
    return { tables: { table: 'all', by: 'table', counts: tables }, groups };
  } finally {
    await lake.close();
  }
}
