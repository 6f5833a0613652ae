// `data verify`: reads every page of every column of every Parquet file of a lake, one file at a time, so a file
// damaged inside its pages (a bad disk, a cut copy) is named before training dies on a raw decompression error.
// Not the quick checks opening a lake does (validate.ts: framing, footer and schema, which this also runs).

import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { InputError } from '../core/errors.js';
import { lakeRoot, tableFiles } from './lake-paths.js';
import { TABLE_NAMES } from './schema.js';
import { sqlString } from './sql.js';
import { ParquetValidator } from './validate.js';

export interface DamagedFile {
  readonly file: string;
  readonly reason: string; // the first line of what refused it
}

export interface LakeVerification {
  readonly files: number;
  readonly rows: number; // rows read from the intact files (committed or not)
  readonly damaged: readonly DamagedFile[]; // in table order, then path order
}

/** Hashing every column forces each of its pages to be read and decoded (a count alone reads only the footer). */
const SCAN_SQL = (file: string) =>
  `select count(*) as n, bit_xor(hash(columns(*))) from read_parquet(${sqlString(file)})`;

/** Checks every file of the lake of run folder `out`; damaged files are listed, not thrown. */
export async function verifyLake(out: string): Promise<LakeVerification> {
  if (!existsSync(lakeRoot(out))) {
    throw new InputError({ file: lakeRoot(out), message: 'no lake here; run `drivefm data generate` first' });
  }
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const validator = new ParquetValidator(connection);
  const damaged: DamagedFile[] = [];
  let files = 0;
  let rows = 0;
  try {
    for (const table of TABLE_NAMES) {
      for (const file of tableFiles(out, table)) {
        files++;
        try {
          await validator.validate(table, [file]);
          const result = await connection.runAndReadAll(SCAN_SQL(file));
          rows += Number(result.getRowObjectsJS()[0]?.n ?? 0);
        } catch (error) {
          damaged.push({ file, reason: reasonOf(error, file) });
        }
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { files, rows, damaged };
}

/** Throws an InputError naming the first damaged file (and counting the others) unless every file is intact. */
export function assertIntact(verification: LakeVerification): void {
  const [first, ...others] = verification.damaged;
  if (!first) return;
  const more =
    others.length > 0 ? ` (+${others.length} more damaged: ${others.map((d) => d.file).join(', ')})` : '';
  throw new InputError({ file: first.file, message: `damaged Parquet file: ${first.reason}${more}` });
}

/** The first line of an error's message, without the file name DuckDB or InputError already put in it. */
function reasonOf(error: unknown, file: string): string {
  const line = String(error instanceof Error ? error.message : error).split('\n')[0]!;
  return line.replace(`Failed to read file "${file}": `, '').replace(`${file}: `, '').trim();
}
