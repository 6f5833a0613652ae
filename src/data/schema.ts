// The lake's tables and their columns, defined once: names, DuckDB types, and the schema version every row carries.
// Not how rows are made (rows.ts) nor where files go (lake-paths.ts); readers and writers both derive from this.

import { BLOB, BOOLEAN, DOUBLE, type DuckDBType, INTEGER, LIST, VARCHAR } from '@duckdb/node-api';

/** Bumped when a column is added, removed or changes meaning; stored in every row of every table. */
export const SCHEMA_VERSION = 2;

const TYPES = {
  VARCHAR,
  INTEGER,
  DOUBLE,
  BOOLEAN,
  BLOB,
  'INTEGER[]': LIST(INTEGER),
} as const satisfies Record<string, DuckDBType>;

export type ColumnType = keyof typeof TYPES;

/** The JS value a column of each type takes when a row is written. */
export interface JsValueOf {
  VARCHAR: string;
  INTEGER: number;
  DOUBLE: number;
  BOOLEAN: boolean;
  BLOB: Uint8Array;
  'INTEGER[]': readonly number[];
}

/** Every table starts with these: the version of this file it was written with and the clip it belongs to. */
const KEY = [
  ['schema_version', 'INTEGER'],
  ['clip_id', 'VARCHAR'], // content id of the clip
] as const;

/** One frame of a clip is (clip_id, step); every per-frame table has both. */
const FRAME_KEY = [...KEY, ['step', 'INTEGER']] as const; // [steps] since the episode started

export const TABLES = {
  clips: [
    ...KEY,
    ['seed', 'INTEGER'], // scenario seed
    ['generator', 'INTEGER'], // generate.ts GENERATOR_VERSION
    ['source', 'VARCHAR'], // records.ts ClipSource: expert, perturbed or on-policy
    ['scenario_instruction', 'VARCHAR'],
    ['frames', 'INTEGER'], // sampled frames in the clip
    ['progress', 'DOUBLE'], // [m] along the route
    ['collisions', 'INTEGER'], // at fault
    ['red_light_violations', 'INTEGER'],
    ['offroad', 'BOOLEAN'],
    ['comfortable', 'BOOLEAN'],
    ['pdms', 'DOUBLE'],
    ['epdms', 'DOUBLE'],
  ],
  frames: [
    ...FRAME_KEY,
    ['t', 'DOUBLE'], // [s]
    ['camera', 'BLOB'], // sensors/camera.ts layout
    ['bev', 'BLOB'], // sensors/bev.ts layout
    ['ego_speed', 'DOUBLE'], // [m/s]
    ['ego_accel', 'DOUBLE'], // [m/s2]
    ['ego_yaw_rate', 'DOUBLE'], // [rad/s]
    ['navigation', 'VARCHAR'], // labels/instructions.ts NavigationCommand
    ['behaviour', 'VARCHAR'], // labels/instructions.ts BehaviourInstruction
    ['instruction', 'VARCHAR'], // both as text
  ],
  labels: [
    ...FRAME_KEY,
    ['category', 'VARCHAR'], // labels/qa.ts LABEL_CATEGORIES: one row per frame and category
    ['label', 'VARCHAR'], // the category's structured label as JSON (typed arrays as plain arrays)
  ],
  qa: [
    ...FRAME_KEY,
    ['category', 'VARCHAR'],
    ['key', 'VARCHAR'], // which fact is asked, stable across phrasings
    ['question', 'VARCHAR'],
    ['answer', 'VARCHAR'],
  ],
  cot: [
    ...FRAME_KEY,
    ['speed_decision', 'VARCHAR'],
    ['path_decision', 'VARCHAR'],
    ['critical', 'INTEGER[]'], // agent indices the trace names
    ['long', 'VARCHAR'], // full trace
    ['short', 'VARCHAR'], // few-token trace for latency-aware training
  ],
  actions: [
    ...FRAME_KEY,
    ['tokens', 'INTEGER[]'], // (2H,) bins, interleaved longitudinal, lateral; bins in action-bins.json
  ],
  /** Fleet clips only (fleet/upload.ts): why and when the car uploaded the clip. One row per clip. */
  uploads: [
    ...KEY,
    ['trigger', 'VARCHAR'], // fleet/triggers TriggerName
    ['round', 'INTEGER'], // flywheel round the clip came from
    ['car_model', 'VARCHAR'], // content id of the car model that drove
    ['event_step', 'INTEGER'], // [steps] where the trigger fired
    ['window_start', 'INTEGER'], // [steps] first state of the clip's window
    ['window_end', 'INTEGER'], // [steps] last state of the window
    ['value', 'DOUBLE'], // the trigger's measure at the event (its unit in the trigger's file)
    ['failed', 'BOOLEAN'], // the simulator's truth: the car failed inside the window
  ],
  /** Fleet clips only (fleet/auto-label.ts): labels by the teacher and by the expert, with their provenance. */
  auto_labels: [
    ...FRAME_KEY,
    ['labeller', 'VARCHAR'], // teacher or expert
    ['model_version', 'VARCHAR'], // content id of the labelling model; 'privileged' for the expert
    ['round', 'INTEGER'],
    ['category', 'VARCHAR'], // a labels/qa.ts LABEL_CATEGORIES entry, 'cot' or 'actions'
    ['key', 'VARCHAR'], // which fact (a QA key), 'decision' for cot, 'tokens' for actions
    ['label', 'VARCHAR'], // the answer text, the CoT's decision, or the tokens as JSON
  ],
} as const satisfies Record<string, readonly (readonly [string, ColumnType])[]>;

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];
/** Tables only some clips have rows in (fleet uploads): a clip without rows there writes no file for them. */
export const OPTIONAL_TABLES: ReadonlySet<TableName> = new Set(['uploads', 'auto_labels']);

/** Hive partition columns: in the folder names (family=.../split=...), not inside the files. */
export const PARTITION_COLUMNS = ['family', 'split'] as const;

type ColumnsOf<T extends TableName> = (typeof TABLES)[T][number];

/** A row of table T as JS values, one field per column. */
export type Row<T extends TableName> = {
  readonly [C in ColumnsOf<T> as C[0]]: JsValueOf[C[1]];
};

/** The DuckDB types of table T's columns, in order. */
export function columnTypes(table: TableName): DuckDBType[] {
  return TABLES[table].map(([, type]) => TYPES[type]);
}

/** `name TYPE, ...` for a CREATE TABLE of table T. */
export function columnsSql(table: TableName): string {
  return TABLES[table].map(([name, type]) => `"${name}" ${type}`).join(', ');
}
