// Where the lake's files live under a run folder: lake/<table>/family=<f>/split=<s>/<clipId>.parquet (Hive).
// Not reading or writing them (lake.ts, lake-reader.ts); only names, listings and the temp-file convention.

import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { TEMP_SUFFIX } from '../core/atomic.js';
import { SCENARIO_FAMILIES } from '../sim/types.js';
import type { ClipKey } from './records.js';
import type { TableName } from './schema.js';
import { SPLITS, splitOf } from './splits.js';

export const LAKE_DIR = 'lake';
export const PARQUET_SUFFIX = '.parquet';

export function lakeRoot(out: string): string {
  return join(out, LAKE_DIR);
}

export function tableDir(out: string, table: TableName): string {
  return join(lakeRoot(out), table);
}

/** The one file of `table` holding clip `key`; its split partition follows from (family, seed). */
export function clipFile(out: string, table: TableName, key: ClipKey): string {
  return join(
    tableDir(out, table),
    `family=${key.family}`,
    `split=${splitOf(key.family, key.seed)}`,
    `${key.clipId}${PARQUET_SUFFIX}`,
  );
}

/** Every file under `dir` (recursively) whose name ends with `suffix`, sorted; none when `dir` is absent. */
export function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** The committed-or-not data files of a table; temp files (`*.tmp`) never match. */
export function tableFiles(out: string, table: TableName): string[] {
  return filesUnder(tableDir(out, table), PARQUET_SUFFIX);
}

/** Whether `file` (one of tableFiles) sits where the writer puts files: <table>/family=<f>/split=<s>/<name>. */
export function isPartitionPath(out: string, table: TableName, file: string): boolean {
  const parts = relative(tableDir(out, table), file).split(sep);
  if (parts.length !== 3) return false;
  const family = parts[0]!.slice('family='.length);
  const split = parts[1]!.slice('split='.length);
  return (
    parts[0] === `family=${family}` &&
    (SCENARIO_FAMILIES as readonly string[]).includes(family) &&
    parts[1] === `split=${split}` &&
    (SPLITS as readonly string[]).includes(split)
  );
}

/** Debris of killed writers anywhere in the lake. */
export function tempFiles(out: string): string[] {
  return filesUnder(lakeRoot(out), TEMP_SUFFIX);
}
