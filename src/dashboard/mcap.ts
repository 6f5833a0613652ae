// One recorded episode as an MCAP file with Foxglove's well-known JSON schemas (scene entities for the map, the
// lights, agents, ego and the plan; the camera and BEV as PNG; the reasoning as log lines), for Foxglove, Lichtblick
// or Rerun. Not the episode record (eval/episode-record.ts) nor the command (cli/export-mcap.ts).

import { join } from 'node:path';
import type {
  Color,
  CompressedImage,
  FrameTransform,
  LinePrimitive,
  Log,
  Pose,
  PosesInFrame,
  SceneEntity,
  SceneUpdate,
  Time,
} from '@foxglove/schemas';
import * as foxglove from '@foxglove/schemas/jsonschema.js';
import { McapWriter, TempBuffer } from '@mcap/core';
import { writeFileAtomic } from '../core/atomic.js';
import { UsageError } from '../core/errors.js';
import {
  EPISODES_DIR,
  type EpisodeRecord,
  listEpisodes,
  readEpisode,
  readEpisodeFrames,
} from '../eval/episode-record.js';
import { AgentKind, LightColour } from '../sim/types.js';

const WORLD = 'map'; // the frame every scene entity is drawn in
const EGO = 'ego'; // the frame that follows ego (map -> ego on /tf), for a 3D view that follows the car
const LINE_STRIP = 0; // foxglove.LineType
const LINE_LOOP = 1;
const LINE_LIST = 2;
const DELETE_ALL = 1; // foxglove.SceneEntityDeletionType: clears the topic's entities before the new ones
const INFO = 2; // foxglove.LogLevel
const WARNING = 3;

const HEIGHT: Readonly<Record<number, number>> = {
  [AgentKind.ego]: 1.5, // [m]
  [AgentKind.vehicle]: 1.5, // [m]
  [AgentKind.pedestrian]: 1.8, // [m]
  [AgentKind.cyclist]: 1.7, // [m]
  [AgentKind.obstacle]: 1.0, // [m]
};

const rgba = (r: number, g: number, b: number, a = 1): Color => ({ r, g, b, a });
const AGENT_COLOUR: Readonly<Record<number, Color>> = {
  [AgentKind.ego]: rgba(0.1, 0.5, 1),
  [AgentKind.vehicle]: rgba(0.85, 0.85, 0.85),
  [AgentKind.pedestrian]: rgba(1, 0.55, 0.1),
  [AgentKind.cyclist]: rgba(0.9, 0.2, 0.9),
  [AgentKind.obstacle]: rgba(0.5, 0.35, 0.2),
};
const LIGHT_COLOUR: Readonly<Record<number, Color>> = {
  [LightColour.green]: rgba(0.1, 0.9, 0.2),
  [LightColour.yellow]: rgba(1, 0.85, 0),
  [LightColour.red]: rgba(1, 0.1, 0.1),
};
const ROAD = rgba(0.25, 0.25, 0.28, 0.9);
const CENTRELINE = rgba(1, 1, 1, 0.5);
const CROSSWALK = rgba(1, 1, 1, 0.9);
const JUNCTION = rgba(0.6, 0.6, 0.2, 0.6);
const PLAN = rgba(0, 1, 0.6);

/** A topic of the file: its name, its schema (Foxglove's, or drivefm's for the metrics) and what it holds. */
export interface McapTopic {
  readonly topic: string;
  readonly schema: string;
  readonly messages: number;
}

export interface McapExport {
  readonly out: string;
  readonly episode: string; // <eval>/<id>
  readonly bytes: number;
  readonly topics: readonly McapTopic[];
}

/** The drivefm schema of /metrics: every sub-metric's per-state value, for a plot panel. */
const METRICS_SCHEMA = {
  title: 'drivefm.Metrics',
  description: "Every sub-metric's value at one state (null where it is not defined)",
  type: 'object',
  properties: {
    timestamp: foxglove.Time,
    values: { type: 'object', additionalProperties: { type: ['number', 'null'] } },
  },
  required: ['timestamp', 'values'],
};

interface Channel {
  readonly topic: string;
  readonly schema: { readonly title: string };
}

const CHANNELS = {
  map: { topic: '/map', schema: foxglove.SceneUpdate },
  lights: { topic: '/lights', schema: foxglove.SceneUpdate },
  agents: { topic: '/agents', schema: foxglove.SceneUpdate },
  plan: { topic: '/plan', schema: foxglove.SceneUpdate },
  planPoses: { topic: '/plan/poses', schema: foxglove.PosesInFrame },
  tf: { topic: '/tf', schema: foxglove.FrameTransform },
  camera: { topic: '/camera', schema: foxglove.CompressedImage },
  bev: { topic: '/bev', schema: foxglove.CompressedImage },
  reasoning: { topic: '/reasoning', schema: foxglove.Log },
  events: { topic: '/events', schema: foxglove.Log },
  metrics: { topic: '/metrics', schema: METRICS_SCHEMA },
} as const satisfies Record<string, Channel>;
type ChannelName = keyof typeof CHANNELS;

/** Seconds from the episode's start as a Foxglove time (the file's clock starts at 0). */
function timeOf(seconds: number): Time {
  const nanos = Math.round(seconds * 1e9);
  return { sec: Math.floor(nanos / 1e9), nsec: nanos % 1e9 };
}

const point = (x: number, y: number, z = 0) => ({ x, y, z });
const IDENTITY: Pose = { position: point(0, 0), orientation: { x: 0, y: 0, z: 0, w: 1 } };
function pose(x: number, y: number, heading: number, z = 0): Pose {
  return {
    position: point(x, y, z),
    orientation: { x: 0, y: 0, z: Math.sin(heading / 2), w: Math.cos(heading / 2) },
  };
}

/** A line through (N, 2) points `xy` [m]. */
function line(type: number, xy: readonly number[], thickness: number, color: Color): LinePrimitive {
  const points = Array.from({ length: xy.length / 2 }, (_, k) => point(xy[2 * k]!, xy[2 * k + 1]!, 0.01));
  return { type, pose: IDENTITY, thickness, scale_invariant: false, points, color, colors: [], indices: [] };
}

/** An entity in the world frame with only the given primitives; lifetime 0: until replaced or deleted. */
function entity(id: string, time: Time, parts: Partial<SceneEntity>): SceneEntity {
  return {
    timestamp: time,
    frame_id: WORLD,
    id,
    lifetime: { sec: 0, nsec: 0 },
    frame_locked: false,
    metadata: [],
    arrows: [],
    cubes: [],
    spheres: [],
    cylinders: [],
    lines: [],
    triangles: [],
    texts: [],
    models: [],
    ...parts,
  };
}

/** The message of each channel at a time [s], in the order they are written. */
type Messages = [ChannelName, number, unknown][];

function mapMessages(r: EpisodeRecord): Messages {
  const t0 = timeOf(0);
  const m = r.map;
  const update: SceneUpdate = {
    deletions: [],
    entities: [
      entity('roads', t0, {
        lines: [
          ...m.lanes.map((l) => line(LINE_STRIP, l.points, l.width, ROAD)), // the surface: a line as wide as the lane
          ...m.lanes.map((l) => line(LINE_STRIP, l.points, 0.15, CENTRELINE)),
        ],
      }),
      entity('crosswalks', t0, { lines: m.crosswalks.map((c) => line(LINE_LOOP, c, 0.3, CROSSWALK)) }),
      entity('junctions', t0, { lines: m.junctions.map((j) => line(LINE_LOOP, j, 0.2, JUNCTION)) }),
      entity('goal', t0, {
        spheres: [{ pose: pose(r.route.goal[0], r.route.goal[1], 0), size: point(2, 2, 0.2), color: PLAN }],
      }),
    ],
  };
  return [['map', 0, update]];
}

/** One /lights update at state 0 and at every state where a light changes: each head and its stop lines. */
function lightMessages(r: EpisodeRecord): Messages {
  const steps = [...new Set(r.map.lights.flatMap((l) => l.changes.map(([step]) => step)))].sort(
    (a, b) => a - b,
  );
  return steps.map((step) => {
    const time = timeOf(step * r.dt);
    const entities = r.map.lights.map((light) => {
      const colour = light.changes.filter(([s]) => s <= step).at(-1)?.[1] ?? LightColour.green;
      const color = LIGHT_COLOUR[colour] ?? CENTRELINE;
      return entity(`light-${light.id}`, time, {
        spheres: [
          { pose: pose(light.position[0], light.position[1], 0, 3), size: point(0.8, 0.8, 0.8), color },
        ],
        lines: [line(LINE_LIST, light.stopLines.flat(), 0.4, color)],
      });
    });
    const update: SceneUpdate = { deletions: [], entities };
    return ['lights', step * r.dt, update];
  });
}

/** Per state: every present agent as a box (ego included, in its colour), and the map -> ego transform. */
function agentMessages(r: EpisodeRecord): Messages {
  const messages: Messages = [];
  const ego = r.agents[0]!;
  for (let step = 0; step <= r.steps; step++) {
    const t = step * r.dt;
    const time = timeOf(t);
    const entities = r.agents.flatMap((a, index) => {
      const [x, y, heading] = [a.x[step], a.y[step], a.heading[step]];
      if (x == null || y == null || heading == null) return []; // not present at this state
      const height = HEIGHT[a.kind] ?? 1.5;
      const cube = {
        pose: pose(x, y, heading, height / 2),
        size: point(a.length, a.width, height),
        color: AGENT_COLOUR[a.kind] ?? CENTRELINE,
      };
      return [entity(index === 0 ? 'ego' : `agent-${index}`, time, { cubes: [cube] })];
    });
    const update: SceneUpdate = { deletions: [{ timestamp: time, type: DELETE_ALL, id: '' }], entities };
    messages.push(['agents', t, update]);
    const [x, y, heading] = [ego.x[step], ego.y[step], ego.heading[step]];
    if (x != null && y != null && heading != null) {
      const q = pose(x, y, heading).orientation;
      const tf: FrameTransform = {
        timestamp: time,
        parent_frame_id: WORLD,
        child_frame_id: EGO,
        translation: point(x, y),
        rotation: q,
      };
      messages.push(['tf', t, tf]);
    }
  }
  return messages;
}

/** Per decision: the plan (a line and poses), the camera and BEV images, and the reasoning as one log line. */
function decisionMessages(
  r: EpisodeRecord,
  frames: EpisodePngs,
  latencyMs: readonly number[] | null,
): Messages {
  return r.decisions.flatMap((d, k): Messages => {
    const time = timeOf(d.t);
    const xy = d.plan; // (H, 2) [m] world frame
    const ego = r.agents[0]!;
    // each pose faces from the point before it (ego's position at the decision before the first)
    const from = [ego.x[d.step] ?? xy[0]!, ego.y[d.step] ?? xy[1]!, ...xy]; // (H + 1, 2)
    const headings = Array.from({ length: xy.length / 2 }, (_, i) =>
      Math.atan2(xy[2 * i + 1]! - from[2 * i + 1]!, xy[2 * i]! - from[2 * i]!),
    );
    const planUpdate: SceneUpdate = {
      deletions: [{ timestamp: time, type: DELETE_ALL, id: '' }],
      entities: xy.length === 0 ? [] : [entity('plan', time, { lines: [line(LINE_STRIP, xy, 0.3, PLAN)] })],
    };
    const poses: PosesInFrame = {
      timestamp: time,
      frame_id: WORLD,
      poses: headings.map((h, i) => pose(xy[2 * i]!, xy[2 * i + 1]!, h)),
    };
    const image = (frame: string, png: Uint8Array): Omit<CompressedImage, 'data'> & { data: string } => ({
      timestamp: time,
      frame_id: frame,
      data: Buffer.from(png).toString('base64'), // JSON encoding: bytes as base64
      format: 'png',
    });
    const latency = latencyMs?.[k];
    const said = [
      `step ${d.step}`,
      d.mode && `mode ${d.mode}`,
      d.tokens.length > 0 && `tokens ${d.tokens.join(' ')}`,
      latency !== undefined && `latency ${latency} ms`,
      d.fallback && `fallback: ${d.fallback}`,
    ].filter(Boolean);
    const log: Log = {
      timestamp: time,
      level: d.fallback ? WARNING : INFO,
      message: `${said.join('; ')}${d.cot ? `\n${d.cot}` : ''}`,
      name: r.driver,
      file: '',
      line: 0,
    };
    return [
      ['plan', d.t, planUpdate],
      ['planPoses', d.t, poses],
      ['camera', d.t, image('camera', frames.camera[k]!)],
      ['bev', d.t, image('bev', frames.bev[k]!)],
      ['reasoning', d.t, log],
    ];
  });
}

/** Collisions and the first failure of each pass/fail metric as warnings, and every metric per state. */
function metricMessages(r: EpisodeRecord): Messages {
  const warn = (step: number, message: string): [ChannelName, number, Log] => [
    'events',
    step * r.dt,
    { timestamp: timeOf(step * r.dt), level: WARNING, message, name: 'drivefm.metrics', file: '', line: 0 },
  ];
  const events = [
    ...r.collisions.map((c) =>
      warn(c.step, `collision with agent ${c.agent}${c.atFault ? ' (at fault)' : ''}`),
    ),
    ...Object.entries(r.metrics).flatMap(([name, m]) =>
      m.failedAt === null ? [] : [warn(m.failedAt, `${name} failed (episode value ${m.value})`)],
    ),
  ];
  const names = Object.keys(r.metrics) as (keyof EpisodeRecord['metrics'])[];
  const perState: Messages = Array.from({ length: r.steps + 1 }, (_, step) => [
    'metrics',
    step * r.dt,
    {
      timestamp: timeOf(step * r.dt),
      values: Object.fromEntries(names.map((n) => [n, r.metrics[n].values[step] ?? null])),
    },
  ]);
  return [...events, ...perState];
}

/** Each decision's camera and BEV PNG, in the record's order of decisions. */
export interface EpisodePngs {
  readonly camera: readonly Uint8Array[];
  readonly bev: readonly Uint8Array[];
}

/**
 * The MCAP bytes of episode `r` with its decisions' PNGs; the same record gives the same bytes. Messages are
 * written in time order (ties in the order of the channels).
 */
export async function episodeMcap(
  r: EpisodeRecord,
  frames: EpisodePngs,
  latencyMs: readonly number[] | null,
): Promise<{ bytes: Uint8Array; topics: McapTopic[] }> {
  const messages = [
    ...mapMessages(r),
    ...lightMessages(r),
    ...agentMessages(r),
    ...decisionMessages(r, frames, latencyMs),
    ...metricMessages(r),
  ];
  const order = new Map(messages.map((m, i) => [m, i]));
  messages.sort((a, b) => a[1] - b[1] || order.get(a)! - order.get(b)!); // stable by time
  const buffer = new TempBuffer();
  const writer = new McapWriter({ writable: buffer });
  await writer.start({ profile: '', library: 'drivefm' });
  const ids = new Map<ChannelName, number>();
  const counts = new Map<ChannelName, number>();
  const schemas = new Map<string, number>();
  for (const name of Object.keys(CHANNELS) as ChannelName[]) {
    const { topic, schema } = CHANNELS[name];
    if (!schemas.has(schema.title)) {
      const data = new TextEncoder().encode(JSON.stringify(schema));
      schemas.set(
        schema.title,
        await writer.registerSchema({ name: schema.title, encoding: 'jsonschema', data }),
      );
    }
    const schemaId = schemas.get(schema.title)!;
    ids.set(
      name,
      await writer.registerChannel({ topic, schemaId, messageEncoding: 'json', metadata: new Map() }),
    );
    counts.set(name, 0);
  }
  for (const [name, t, message] of messages) {
    const sequence = counts.get(name)!;
    counts.set(name, sequence + 1);
    const time = BigInt(Math.round(t * 1e9)); // [ns]
    await writer.addMessage({
      channelId: ids.get(name)!,
      sequence,
      logTime: time,
      publishTime: time,
      data: new TextEncoder().encode(JSON.stringify(message)),
    });
  }
  await writer.addMetadata({
    name: 'drivefm.episode',
    metadata: new Map([
      ['eval', r.eval],
      ['id', r.id],
      ['driver', r.driver],
      ['instruction', r.instruction],
      ['epdms', String(r.score.epdms)],
      ['pdms', String(r.score.pdms)],
    ]),
  });
  await writer.end();
  const topics = (Object.keys(CHANNELS) as ChannelName[]).map((name) => ({
    topic: CHANNELS[name].topic,
    schema: CHANNELS[name].schema.title,
    messages: counts.get(name)!,
  }));
  return { bytes: buffer.get(), topics };
}

/** `<eval>/<id>`, or an `<id>` found in exactly one recorded evaluation of `run`. */
export function resolveEpisode(run: string, episode: string): { eval: string; id: string } {
  const recorded = listEpisodes(run);
  const [evalName, id] = episode.includes('/') ? episode.split('/', 2) : [undefined, episode];
  const matches = recorded
    .filter((e) => evalName === undefined || e.eval === evalName)
    .filter((e) => e.ids.includes(id!))
    .map((e) => ({ eval: e.eval, id: id! }));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const named = matches.map((m) => `${m.eval}/${m.id}`).join(', ');
    throw new UsageError(`episode '${episode}' is in several evaluations of ${run}: name one of ${named}`);
  }
  if (recorded.length === 0) {
    throw new UsageError(
      `${join(run, EPISODES_DIR)}: no recorded episodes (drivefm run records them when it evaluates)`,
    );
  }
  const some = recorded.flatMap((e) => e.ids.slice(0, 3).map((i) => `${e.eval}/${i}`)).slice(0, 6);
  throw new UsageError(`episode '${episode}': not recorded in ${run}; e.g. ${some.join(', ')}`);
}

/** Writes episode `episode` of `run` to `out` (atomically) as MCAP; what it wrote. */
export async function exportEpisodeMcap(run: string, episode: string, out: string): Promise<McapExport> {
  const { eval: evalName, id } = resolveEpisode(run, episode);
  const { record, latencyMs } = readEpisode(run, evalName, id);
  const { bytes, topics } = await episodeMcap(record, readEpisodeFrames(run, record), latencyMs);
  writeFileAtomic(out, bytes);
  return { out, episode: `${evalName}/${id}`, bytes: bytes.length, topics };
}
