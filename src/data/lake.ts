// The lake's writer: a clip's rows become one Parquet file per table, each written under a temp name by DuckDB
// and renamed into place, the clips-table file last as the commit marker. Not the reader (lake-reader.ts).
//
// Crash safety: a killed writer leaves at most temp files (ignored by readers, deleted by the next writer) and
// some table files of an uncommitted clip (no clips file: readers skip it, the next writer rewrites it whole).
// One writer per run folder at a time: the next writer's clean-up would delete a live writer's temp files.

import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBInstance,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api';
import { tempPathFor } from '../core/atomic.js';
import { clipFile, tempFiles } from './lake-paths.js';
import type { ClipKey, ClipRecord, ClipSink } from './records.js';
import { type ClipRows, clipRows } from './rows.js';
import {
  columnsSql,
  columnTypes,
  OPTIONAL_TABLES,
  type Row,
  TABLE_NAMES,
  TABLES,
  type TableName,
} from './schema.js';
import { sqlString } from './sql.js';

const CHUNK_ROWS = 2048; // DuckDB's vector size: rows per appended data chunk

/** Every table but clips: written first; the clips-table file, written last, commits the clip. */
const DATA_TABLES: readonly TableName[] = TABLE_NAMES.filter((t) => t !== 'clips');

export class LakeWriter implements ClipSink {
  /** Rows written since opening, over all tables. */
  rowsWritten = 0;

  private constructor(
    readonly out: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens the lake under run folder `out` for writing, deleting temp files a killed writer left. */
  static async open(out: string): Promise<LakeWriter> {
    for (const file of tempFiles(out)) rmSync(file, { force: true });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const table of TABLE_NAMES)
      await connection.run(`create temp table stage_${table} (${columnsSql(table)})`);
    return new LakeWriter(out, instance, connection);
  }

  /** Whether the clip is committed: its clips-table file exists. */
  async hasClip(key: ClipKey): Promise<boolean> {
    return existsSync(clipFile(this.out, 'clips', key));
  }

  /**
   * Writes every table file of the clip, replacing any left by an earlier, interrupted write of it: the data
   * tables' temp files are written and synced together, renamed into place, and only then the clips file.
   */
  async writeClip(clip: ClipRecord): Promise<void> {
    const rows = clipRows(clip);
    const staged: Staged[] = [];
    for (const table of DATA_TABLES) {
      if (OPTIONAL_TABLES.has(table) && rows[table].length === 0) continue;
      staged.push(await this.writeTemp(table, rows, clipFile(this.out, table, clip)));
    }
    await Promise.all(staged.map(({ tmp }) => syncFile(tmp))); // concurrent syncs share the journal commits
    for (const { tmp, path } of staged) renameSync(tmp, path);
    const marker = await this.writeTemp('clips', rows, clipFile(this.out, 'clips', clip));
    await syncFile(marker.tmp);
    renameSync(marker.tmp, marker.path);
    this.rowsWritten += TABLE_NAMES.reduce((n, table) => n + rows[table].length, 0);
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }

  /** Writes the table's rows of the clip to a temp file beside `path`. */
  private async writeTemp<T extends TableName>(table: T, all: ClipRows, path: string): Promise<Staged> {
    const rows = all[table] as readonly Row<T>[];
    const stage = `stage_${table}`;
    await this.connection.run(`truncate ${stage}`);
    const names = TABLES[table].map(([name]) => name) as (keyof Row<T>)[];
    const appender = await this.connection.createAppender(stage);
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const slice = rows.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(columnTypes(table), slice.length);
      chunk.setColumnsConverted(
        names.map((name) => slice.map((row) => row[name] as JS)),
        JSToDuckDBValueConverter,
      );
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    mkdirSync(dirname(path), { recursive: true });
    const tmp = tempPathFor(path);
    await this.connection.run(`copy ${stage} to ${sqlString(tmp)} (format parquet)`);
    return { tmp, path };
  }
}

interface Staged {
  readonly tmp: string; // written and complete, not yet in place
  readonly path: string;
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
