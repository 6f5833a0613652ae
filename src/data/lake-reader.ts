// The lake's reader: validates every Parquet file, then exposes each table as a DuckDB view over the
// Hive-partitioned files (family, split columns from the folders), holding only committed clips' rows.
// Not the writer (lake.ts); the reader never changes, moves or deletes a file.

import { existsSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance, type JS } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { isPartitionPath, lakeRoot, tableFiles } from './lake-paths.js';
import { columnsSql, PARTITION_COLUMNS, SCHEMA_VERSION, TABLE_NAMES, type TableName } from './schema.js';
import { sqlList } from './sql.js';
import { ParquetValidator } from './validate.js';

export type JsRow = Record<string, JS>;

export class LakeReader {
  private constructor(
    readonly out: string,
    readonly files: Readonly<Record<TableName, readonly string[]>>,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens the lake of run folder `out`. Every file is checked first; a truncated, foreign or other-version
   * file throws InputError naming it. Views: one per table, named as the table; rows of clips without a
   * clips-table file (an interrupted write) are left out.
   */
  static async open(out: string): Promise<LakeReader> {
    if (!existsSync(lakeRoot(out))) {
      throw new InputError({
        file: lakeRoot(out),
        message: 'no lake here; run `drivefm data generate` first',
      });
    }
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const files = await openViews(out, connection);
      return new LakeReader(out, files, instance, connection);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
  }

  /** Runs a query over the views; rows as plain JS values (BIGINT as bigint, BLOB as Uint8Array). */
  async query(sql: string): Promise<JsRow[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJS();
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Validates every file of every table and creates the views; returns the files read. */
async function openViews(out: string, connection: DuckDBConnection): Promise<Record<TableName, string[]>> {
  const validator = new ParquetValidator(connection);
  const files = {} as Record<TableName, string[]>;
  for (const table of TABLE_NAMES) {
    files[table] = tableFiles(out, table);
    const misplaced = files[table].find((file) => !isPartitionPath(out, table, file));
    if (misplaced) {
      throw new InputError({
        file: misplaced,
        message: `not in the lake's layout ${table}/family=<scenario family>/split=<train|val|test>/<clip>.parquet`,
      });
    }
    await validator.validate(table, files[table]);
    await createFilesView(connection, table, files[table]);
    await checkVersion(connection, table);
  }
  for (const table of TABLE_NAMES) {
    const committed = table === 'clips' ? '' : ' where clip_id in (select clip_id from clips_files)';
    await connection.run(`create temp view ${table} as select * from ${table}_files${committed}`);
  }
  return files;
}

/** The table's rows from its files, with the partition columns and the file name; typed and empty without files. */
async function createFilesView(connection: DuckDBConnection, table: TableName, files: readonly string[]) {
  if (files.length > 0) {
    await connection.run(
      `create temp view ${table}_files as select * from read_parquet(${sqlList(files)}, hive_partitioning = true, filename = true)`,
    );
    return;
  }
  const extra = [...PARTITION_COLUMNS, 'filename'].map((c) => `${c} VARCHAR`).join(', ');
  await connection.run(`create temp table ${table}_files (${columnsSql(table)}, ${extra})`);
}

/** Throws naming the first file whose rows carry another schema version than this code's. */
async function checkVersion(connection: DuckDBConnection, table: TableName): Promise<void> {
  const reader = await connection.runAndReadAll(
    `select filename, schema_version from ${table}_files where schema_version <> ${SCHEMA_VERSION} limit 1`,
  );
  const bad = reader.getRowObjectsJS()[0];
  if (bad) {
    throw new InputError({
      file: String(bad.filename),
      message: `schema version ${bad.schema_version}; this drivefm reads version ${SCHEMA_VERSION}`,
    });
  }
}
