// Counts over a lake: rows per table, per label category and per scenario family and split, plus the clips an
// interrupted write left uncommitted. Not curation (curate.ts); read-only like every query on a LakeReader.

import { LABEL_CATEGORIES, type LabelCategory } from '../labels/qa.js';
import type { LakeReader } from './lake-reader.js';
import { TABLE_NAMES, type TableName } from './schema.js';
import { SPLITS, type Split } from './splits.js';

export interface FamilyStats {
  readonly clips: number;
  readonly frames: number;
  readonly splits: Readonly<Record<Split, number>>; // clips per split
}

export interface LakeStats {
  readonly tables: Readonly<Record<TableName, number>>; // rows of committed clips
  readonly categories: Readonly<Record<LabelCategory, { readonly labels: number; readonly qa: number }>>;
  readonly families: Readonly<Record<string, FamilyStats>>;
  readonly uncommittedClips: number; // table files without a clips-table file (rewritten by the next generate)
}

export async function lakeStats(lake: LakeReader): Promise<LakeStats> {
  const tables = {} as Record<TableName, number>;
  for (const table of TABLE_NAMES) tables[table] = await count(lake, `select count(*) as n from ${table}`);

  const categories = {} as Record<LabelCategory, { labels: number; qa: number }>;
  for (const category of LABEL_CATEGORIES) categories[category] = { labels: 0, qa: 0 };
  for (const [table, field] of [
    ['labels', 'labels'],
    ['qa', 'qa'],
  ] as const) {
    for (const r of await lake.query(`select category, count(*) as n from ${table} group by category`)) {
      const entry = categories[r.category as LabelCategory];
      if (entry) entry[field] = Number(r.n);
    }
  }

  const families: Record<string, { clips: number; frames: number; splits: Record<Split, number> }> = {};
  const perFamily = await lake.query(
    'select family, split, count(*) as clips, sum(frames) as frames from clips group by family, split order by family',
  );
  for (const r of perFamily) {
    const family = String(r.family);
    families[family] ??= { clips: 0, frames: 0, splits: { train: 0, val: 0, test: 0 } };
    const entry = families[family];
    entry.clips += Number(r.clips);
    entry.frames += Number(r.frames);
    if (SPLITS.includes(r.split as Split)) entry.splits[r.split as Split] += Number(r.clips);
  }

  const uncommitted = TABLE_NAMES.filter((t) => t !== 'clips')
    .map((t) => `select clip_id from ${t}_files`)
    .join(' union ');
  const uncommittedClips = await count(
    lake,
    `select count(distinct clip_id) as n from (${uncommitted}) where clip_id not in (select clip_id from clips)`,
  );
  return { tables, categories, families, uncommittedClips };
}

async function count(lake: LakeReader, sql: string): Promise<number> {
  return Number((await lake.query(sql))[0]?.n ?? 0);
}
