// Episode records: one closed-loop episode saved under the run folder for the dashboard's replay and the MCAP
// export (the map, every agent's poses, ego's path, each decision's tokens, plan, CoT, camera and BEV PNGs, the
// sub-metrics over time with the moment each failed), its schema and its reader. Not the scoring (closed-loop.ts).
//
// Layout: episodes/<eval>/<id>.json (deterministic bytes); episodes/<eval>/frames/<id>.json, the camera and BEV PNGs
// of each decision (what the driver saw), base64, in one file (one fsync, not two per decision); and
// episode-times/<eval>/<id>.json (each decision's wall-clock latency: outside episodes/ so that the records are
// byte-identical across runs, as times.json is for the steps).

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic.js';
import { loadJsonConfig } from '../core/config.js';
import type { Replan } from '../policy/model-driver.js';
import { bevPicture } from '../sensors/bev-picture.js';
import { BEV_SIZE, CAMERA_HEIGHT, CAMERA_WIDTH, encodePng, render } from '../sensors/index.js';
import { METRIC_NAMES, type MetricName } from '../sim/metrics/index.js';
import { DT, PLAN_EVERY, PLAN_HORIZON, SCENARIO_FAMILIES } from '../sim/types.js';
import type { DrivenEpisode } from './closed-loop.js';

export const EPISODES_DIR = 'episodes';
export const EPISODE_TIMES_DIR = 'episode-times';
const FORMAT = 1;
const POSITION_DECIMALS = 2; // [m] to the centimetre
const ANGLE_DECIMALS = 3; // [rad] a milliradian
const VALUE_DECIMALS = 2; // metric values and plan poses

/** The metrics whose per-state value passes at 1 and fails below: EP (metres of progress per state) is not one. */
const PASS_FAIL_METRICS = [
  'nc',
  'dac',
  'ddc',
  'tlc',
  'ttc',
  'lk',
  'c',
  'hc',
  'ec',
] as const satisfies readonly MetricName[];

const xy = z.tuple([z.number(), z.number()]);
const segment = z.tuple([z.number(), z.number(), z.number(), z.number()]);
const perState = z.array(z.number().nullable()); // (T,) null where invalid (agent absent, metric undefined)

const metricSchema = z.strictObject({
  values: perState,
  value: z.number(), // the episode value (NAVSIM's reduction)
  valid: z.boolean(),
  failedAt: z.int().nullable(), // the first state whose value is below 1 (pass/fail metrics only), else null
});

export const episodeRecordSchema = z.strictObject({
  format: z.literal(FORMAT),
  eval: z.string(), // the evaluation's name, e.g. teacher-instruct-fast
  id: z.string(), // <family>-<seed>
  family: z.enum(SCENARIO_FAMILIES),
  seed: z.int(),
  driver: z.string(),
  dt: z.number(), // [s] between states
  steps: z.int(), // T - 1
  instruction: z.string(),
  map: z.strictObject({
    bounds: segment, // minX, minY, maxX, maxY [m]
    lanes: z.array(
      z.strictObject({
        id: z.int(),
        kind: z.enum(['road', 'connector']),
        width: z.number(), // [m]
        points: z.array(z.number()), // (P, 2) centreline [m]
      }),
    ),
    crosswalks: z.array(z.array(z.number())), // (4, 2) corners each [m]
    junctions: z.array(z.array(z.number())), // (N, 2) outlines [m]
    lights: z.array(
      z.strictObject({
        id: z.int(),
        position: xy, // the head [m]
        stopLines: z.array(segment), // the painted lines it governs [m]
        changes: z.array(z.tuple([z.int(), z.int()])), // (state, LightColour) from state 0, at each change
      }),
    ),
  }),
  route: z.strictObject({ laneIds: z.array(z.int()), goal: xy }),
  agents: z.array(
    z.strictObject({
      kind: z.int(), // AgentKind; agent 0 is ego, whose poses are its driven path
      length: z.number(), // [m]
      width: z.number(), // [m]
      x: perState, // [m]
      y: perState, // [m]
      heading: perState, // [rad]
      speed: perState, // [m/s]
    }),
  ),
  decisions: z.array(
    z.strictObject({
      step: z.int(), // the state it was made at
      t: z.number(), // [s]
      tokens: z.array(z.int()), // (2H,) action bins, interleaved longitudinal, lateral ([] for a driver without)
      plan: z.array(z.number()), // (H, 2) planned positions PLAN_SPACING apart [m], decoded from the tokens
      cot: z.string(), // the chain of thought ('' in fast mode)
      mode: z.string().nullable(), // think or fast; null for a driver without modes
      fallback: z.string().nullable(), // why the car fell back to a safe action instead; null: it did not
    }),
  ),
  frames: z.string(), // the decisions' camera and BEV PNGs (framesSchema), relative to the eval's folder
  metrics: z.strictObject(
    Object.fromEntries(METRIC_NAMES.map((m) => [m, metricSchema])) as Record<MetricName, typeof metricSchema>,
  ),
  collisions: z.array(z.strictObject({ step: z.int(), agent: z.int(), atFault: z.boolean() })),
  score: z.strictObject({ pdms: z.number(), epdms: z.number(), atFaultCollision: z.boolean() }),
});
export type EpisodeRecord = z.infer<typeof episodeRecordSchema>;

const latencySchema = z.strictObject({ format: z.literal(FORMAT), latencyMs: z.array(z.number()) });

/** The PNGs of each decision, in the order of the record's decisions, base64-encoded. */
export const framesSchema = z.strictObject({
  format: z.literal(FORMAT),
  camera: z.array(z.string()), // (CAMERA_HEIGHT, CAMERA_WIDTH) RGB
  bev: z.array(z.string()), // (BEV_SIZE, BEV_SIZE) RGB picture of the 8 channels (sensors/bev-picture.ts)
});
export type EpisodeFrames = z.infer<typeof framesSchema>;

/** What a driver tells about its decisions: a model's replans and mode; null for one that has none (the expert). */
export interface DecisionTrace {
  readonly mode: string;
  readonly replans: readonly Replan[];
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f + 0; // + 0: no -0
}

function rounded(values: ArrayLike<number>, decimals: number): number[] {
  return Array.from(values, (v) => round(v, decimals));
}

/** Row `a` of an (A, T) agent-major column, rounded, null where the agent is not valid. */
function row(
  column: Float32Array,
  valid: Uint8Array,
  a: number,
  n: number,
  decimals: number,
): (number | null)[] {
  return Array.from({ length: n }, (_, t) => (valid[a * n + t] ? round(column[a * n + t]!, decimals) : null));
}

export function episodeId(driven: DrivenEpisode): string {
  return `${driven.scenario.family}-${driven.scenario.seed}`;
}

/** The record of a driven episode; `trace` adds the model's tokens, CoT and mode to each decision. */
export function episodeRecord(
  evalName: string,
  driven: DrivenEpisode,
  driver: string,
  trace: DecisionTrace | null,
): EpisodeRecord {
  const { scenario, log, series, score } = driven;
  const map = scenario.map;
  const n = log.steps + 1;
  const id = episodeId(driven);
  const lightRows = map.lights.map((light) => {
    const changes: [number, number][] = [];
    for (let t = 0; t < n; t++) {
      const colour = log.lights[light.id * n + t]!;
      if (t === 0 || colour !== changes.at(-1)![1]) changes.push([t, colour]);
    }
    const stopLines = map.lanes
      .filter((l) => l.stopLine?.lightId === light.id)
      .map((l) => rounded(l.stopLine!.segment, POSITION_DECIMALS) as [number, number, number, number]);
    return {
      id: light.id,
      position: rounded(light.position, POSITION_DECIMALS) as [number, number],
      stopLines,
      changes,
    };
  });
  const planned = (step: number): number[] => {
    const k = step / PLAN_EVERY;
    const xy = log.plans?.xy.subarray(k * PLAN_HORIZON * 2, (k + 1) * PLAN_HORIZON * 2);
    return xy ? rounded(xy, VALUE_DECIMALS) : [];
  };
  const steps = trace
    ? trace.replans.map((r) => r.step)
    : log.plans
      ? Array.from({ length: Math.ceil(log.steps / PLAN_EVERY) }, (_, k) => k * PLAN_EVERY)
      : [];
  const decisions = steps.map((step, k) => {
    const replan = trace?.replans[k];
    return {
      step,
      t: round(step * DT, 2),
      tokens: replan ? Array.from(replan.bins) : [],
      plan: planned(step),
      cot: replan?.reasoning ?? '',
      mode: trace?.mode ?? null,
      fallback: null, // the model driver has no fallback; the vehicle runtime's would be said here
    };
  });
  const metrics = Object.fromEntries(
    METRIC_NAMES.map((name) => {
      const s = series.metrics[name];
      const values = Array.from({ length: n }, (_, t) =>
        s.valid[t] ? round(s.values[t]!, VALUE_DECIMALS) : null,
      );
      const passFail = (PASS_FAIL_METRICS as readonly MetricName[]).includes(name);
      const failed = passFail ? values.findIndex((v) => v !== null && v < 1) : -1;
      const m = score.metrics[name];
      return [
        name,
        { values, value: round(m.value, 4), valid: m.valid, failedAt: failed >= 0 ? failed : null },
      ];
    }),
  ) as EpisodeRecord['metrics'];
  return {
    format: FORMAT,
    eval: evalName,
    id,
    family: scenario.family,
    seed: scenario.seed,
    driver,
    dt: DT,
    steps: log.steps,
    instruction: scenario.instruction,
    map: {
      bounds: rounded(map.bounds, POSITION_DECIMALS) as [number, number, number, number],
      lanes: map.lanes.map((l) => ({
        id: l.id,
        kind: l.kind,
        width: round(l.width, POSITION_DECIMALS),
        points: rounded(l.points, POSITION_DECIMALS),
      })),
      crosswalks: map.crosswalks.map((c) => rounded(c.polygon, POSITION_DECIMALS)),
      junctions: map.junctions.map((j) => rounded(j.polygon, POSITION_DECIMALS)),
      lights: lightRows,
    },
    route: {
      laneIds: [...scenario.route.laneIds],
      goal: rounded(scenario.route.goal, POSITION_DECIMALS) as [number, number],
    },
    agents: Array.from({ length: log.agents }, (_, a) => ({
      kind: log.kind[a]!,
      length: round(log.length[a]!, POSITION_DECIMALS),
      width: round(log.width[a]!, POSITION_DECIMALS),
      x: row(log.x, log.valid, a, n, POSITION_DECIMALS),
      y: row(log.y, log.valid, a, n, POSITION_DECIMALS),
      heading: row(log.heading, log.valid, a, n, ANGLE_DECIMALS),
      speed: row(log.speed, log.valid, a, n, POSITION_DECIMALS),
    })),
    decisions,
    frames: `frames/${id}.json`,
    metrics,
    collisions: score.collisions.map((c) => ({ step: c.step, agent: c.agent, atFault: c.atFault })),
    score: {
      pdms: round(score.pdms, 4),
      epdms: round(score.epdms, 4),
      atFaultCollision: score.atFaultCollision,
    },
  };
}

/**
 * Saves the episode under `run`: its record, the camera and BEV PNG of each decision (rendered from the log: the
 * frame the driver saw), and the decisions' latencies; every file written atomically, the frames before the record
 * (a record that exists has its frames). Returns the record's path.
 */
export function saveEpisode(
  run: string,
  evalName: string,
  driven: DrivenEpisode,
  driver: string,
  trace: DecisionTrace | null,
): string {
  const record = episodeRecord(evalName, driven, driver, trace);
  const dir = join(run, EPISODES_DIR, evalName);
  const frames: EpisodeFrames = { format: FORMAT, camera: [], bev: [] };
  const base64 = (png: Uint8Array) => Buffer.from(png).toString('base64');
  for (const d of record.decisions) {
    const frame = render(driven.scenario, driven.log, d.step);
    frames.camera.push(base64(encodePng(CAMERA_WIDTH, CAMERA_HEIGHT, frame.camera)));
    frames.bev.push(base64(encodePng(BEV_SIZE, BEV_SIZE, bevPicture(frame.bev))));
  }
  writeFileAtomic(join(dir, record.frames), `${JSON.stringify(frames)}\n`);
  const path = join(dir, `${record.id}.json`);
  writeFileAtomic(path, `${JSON.stringify(record)}\n`);
  if (trace) {
    const latencyMs = trace.replans.map((r) => round(r.seconds * 1000, 1));
    const times = join(run, EPISODE_TIMES_DIR, evalName, `${record.id}.json`);
    writeFileAtomic(times, `${JSON.stringify({ format: FORMAT, latencyMs })}\n`);
  }
  return path;
}

/** The recorded evaluations of a run and their episode ids, sorted; [] when none was recorded (yet). */
export function listEpisodes(run: string): { eval: string; ids: string[] }[] {
  const root = join(run, EPISODES_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => ({
      eval: e.name,
      ids: readdirSync(join(root, e.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -'.json'.length))
        .sort(),
    }))
    .sort((a, b) => a.eval.localeCompare(b.eval));
}

/** The camera and BEV PNG bytes of each decision of a recorded episode. */
export function readEpisodeFrames(run: string, record: EpisodeRecord): { camera: Buffer[]; bev: Buffer[] } {
  const frames = loadJsonConfig(framesSchema, join(run, EPISODES_DIR, record.eval, record.frames));
  const bytes = (b64: string) => Buffer.from(b64, 'base64');
  return { camera: frames.camera.map(bytes), bev: frames.bev.map(bytes) };
}

/**
 * Reads one recorded episode: the record (parsed by its schema: a bad file is an InputError naming it and the
 * field) and each decision's latency [ms], null when the times were not written (an expert's episode).
 */
export function readEpisode(
  run: string,
  evalName: string,
  id: string,
): { record: EpisodeRecord; latencyMs: number[] | null } {
  const record = loadJsonConfig(episodeRecordSchema, join(run, EPISODES_DIR, evalName, `${id}.json`));
  const times = join(run, EPISODE_TIMES_DIR, evalName, `${id}.json`);
  const latencyMs = existsSync(times) ? loadJsonConfig(latencySchema, times).latencyMs : null;
  return { record, latencyMs };
}
