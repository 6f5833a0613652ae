// Checks a table's Parquet files before any query trusts them: magic bytes and footer length (truncated or
// foreign files), then the column schema against the one schema.ts defines. Throws InputError naming the file.
// Not a repair: a bad file is reported and left exactly as it is.

import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { columnsSql, type TableName } from './schema.js';
import { sqlList, sqlString } from './sql.js';

const MAGIC = 'PAR1';
const MIN_BYTES = 12; // header magic + footer length + footer magic
const BATCH = 512; // files per parquet_schema query

/** Throws unless `file` starts and ends with Parquet's magic and its footer fits inside it. */
export function checkParquetFraming(file: string): void {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(8);
    if (size >= MIN_BYTES) {
      readSync(fd, head, 0, 4, 0);
      readSync(fd, tail, 0, 8, size - 8);
    }
    if (size < MIN_BYTES || head.toString('latin1') !== MAGIC) {
      throw new InputError({ file, message: 'not a Parquet file (no PAR1 magic at its start)' });
    }
    if (tail.toString('latin1', 4) !== MAGIC) {
      throw new InputError({ file, message: 'truncated Parquet file (no PAR1 magic at its end)' });
    }
    if (tail.readUInt32LE(0) > size - MIN_BYTES) {
      throw new InputError({ file, message: 'truncated Parquet file (footer longer than the file)' });
    }
  } finally {
    closeSync(fd);
  }
}

/** Columns as parquet_schema describes them: name, physical, converted and DuckDB types; the root excluded. */
const SIGNATURE_SQL = (files: readonly string[]) => `
  select file_name, string_agg(concat_ws(':', name, type, converted_type, duckdb_type), ', ' order by column_id) as sig
  from parquet_schema(${sqlList(files)}) where column_id > 0 group by file_name`;

/** Validates files of `table` with `connection`: framing, then schema. */
export class ParquetValidator {
  private readonly expected = new Map<TableName, string>();

  constructor(private readonly connection: DuckDBConnection) {}

  async validate(table: TableName, files: readonly string[]): Promise<void> {
    for (const file of files) checkParquetFraming(file);
    const want = await this.expectedSignature(table);
    for (let start = 0; start < files.length; start += BATCH) {
      const batch = files.slice(start, start + BATCH);
      const found = await this.signatures(batch);
      for (const file of batch) {
        const sig = found.get(file);
        if (sig !== want) {
          throw new InputError({
            file,
            message: `not a '${table}' lake file: columns (${columnNames(sig ?? '')}), expected (${columnNames(want)})`,
          });
        }
      }
    }
  }

  /** Signatures of files; when DuckDB refuses the batch, the first file it refuses alone is named. */
  private async signatures(files: readonly string[]): Promise<Map<string, string>> {
    try {
      return await this.signaturesOrThrow(files);
    } catch (batchError) {
      for (const file of files) {
        try {
          await this.signaturesOrThrow([file]);
        } catch (cause) {
          const reason = String((cause as Error).message).split('\n')[0];
          throw new InputError({ file, message: `unreadable Parquet file (${reason})`, cause });
        }
      }
      throw batchError;
    }
  }

  private async signaturesOrThrow(files: readonly string[]): Promise<Map<string, string>> {
    const reader = await this.connection.runAndReadAll(SIGNATURE_SQL(files));
    return new Map(reader.getRowObjectsJS().map((r) => [String(r.file_name), String(r.sig)]));
  }

  /** The signature DuckDB writes for `table`: read from an empty file written with schema.ts's columns. */
  private async expectedSignature(table: TableName): Promise<string> {
    const cached = this.expected.get(table);
    if (cached !== undefined) return cached;
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-schema-'));
    const file = join(dir, `${table}.parquet`);
    try {
      await this.connection.run(`create or replace temp table reference_${table} (${columnsSql(table)})`);
      await this.connection.run(`copy reference_${table} to ${sqlString(file)} (format parquet)`);
      const sig = (await this.signaturesOrThrow([file])).get(file) ?? '';
      this.expected.set(table, sig);
      return sig;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function columnNames(signature: string): string {
  return signature
    .split(', ')
    .map((c) => c.split(':')[0])
    .filter((name) => name && name !== 'list' && name !== 'element')
    .join(', ');
}
