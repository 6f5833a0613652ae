import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader, TempBuffer } from '@mcap/core';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { driveEpisode } from '../eval/closed-loop.js';
import { readEpisode, saveEpisode } from '../eval/episode-record.js';
import { ExpertDriver } from '../sim/agents/expert/expert.js';
import { exportEpisodeMcap } from './mcap.js';

const tmp = mkdtempSync(join(tmpdir(), 'mcap-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const run = join(tmp, 'run');
const EVAL = 'teacher-instruct-think';
const PNG = [0x89, 0x50, 0x4e, 0x47];

const driven = driveEpisode(new ExpertDriver(), { family: 'red-light-runner', seed: 1 });
const decisions = 6;
saveEpisode(run, EVAL, driven, 'teacher', {
  mode: 'think',
  replans: Array.from({ length: decisions }, (_, k) => ({
    step: 5 * k,
    reasoning: `light ahead is red, step ${5 * k}`,
    bins: Int32Array.of(3, 7),
    seconds: 0.02,
    entropy: 0, // [nats] not exported
  })),
});

async function readBack(file: string) {
  const reader = await McapIndexedReader.Initialize({ readable: new TempBuffer(readFileSync(file)) });
  const topics = new Map<number, string>();
  const validators = new Map<number, z.ZodType>(); // each channel's JSON schema, as stored in the file
  for (const channel of reader.channelsById.values()) {
    const schema = reader.schemasById.get(channel.schemaId)!;
    topics.set(channel.id, `${channel.topic} ${schema.name} ${schema.encoding} ${channel.messageEncoding}`);
    validators.set(channel.id, z.fromJSONSchema(JSON.parse(new TextDecoder().decode(schema.data))));
  }
  const counts = new Map<string, number>();
  const first = new Map<string, unknown>();
  let last = -1n;
  for await (const m of reader.readMessages()) {
    const topic = topics.get(m.channelId)!.split(' ')[0]!;
    const message: unknown = JSON.parse(new TextDecoder().decode(m.data));
    const checked = validators.get(m.channelId)!.safeParse(message);
    expect(checked.success, `${topic}: ${checked.error?.message}`).toBe(true);
    counts.set(topic, (counts.get(topic) ?? 0) + 1);
    if (!first.has(topic)) first.set(topic, message);
    expect(m.logTime >= last).toBe(true); // read in time order
    last = m.logTime;
  }
  return { reader, topics: [...topics.values()].sort(), counts: Object.fromEntries(counts), first };
}

describe('export-mcap', () => {
  it("writes Foxglove's schemas, one message per state or decision, read back by @mcap/core", async () => {
    const out = join(tmp, 'episode.mcap');
    const written = await exportEpisodeMcap(run, 'red-light-runner-1', out);
    expect(written.episode).toBe(`${EVAL}/red-light-runner-1`);
    const { record } = readEpisode(run, EVAL, 'red-light-runner-1');
    const states = record.steps + 1;
    const lightChanges = new Set(record.map.lights.flatMap((l) => l.changes.map(([s]) => s))).size;
    const failures = Object.values(record.metrics).filter((m) => m.failedAt !== null).length;
    const back = await readBack(out);
    expect(back.topics).toEqual([
      '/agents foxglove.SceneUpdate jsonschema json',
      '/bev foxglove.CompressedImage jsonschema json',
      '/camera foxglove.CompressedImage jsonschema json',
      '/events foxglove.Log jsonschema json',
      '/lights foxglove.SceneUpdate jsonschema json',
      '/map foxglove.SceneUpdate jsonschema json',
      '/metrics drivefm.Metrics jsonschema json',
      '/plan foxglove.SceneUpdate jsonschema json',
      '/plan/poses foxglove.PosesInFrame jsonschema json',
      '/reasoning foxglove.Log jsonschema json',
      '/tf foxglove.FrameTransform jsonschema json',
    ]);
    expect(back.counts).toEqual({
      '/map': 1,
      '/lights': lightChanges,
      '/agents': states,
      '/tf': states,
      '/metrics': states,
      '/plan': decisions,
      '/plan/poses': decisions,
      '/camera': decisions,
      '/bev': decisions,
      '/reasoning': decisions,
      ...(record.collisions.length + failures > 0 ? { '/events': record.collisions.length + failures } : {}),
    });
    expect(written.topics.find((t) => t.topic === '/agents')?.messages).toBe(states);
    // the camera is the recorded PNG; the reasoning carries the CoT and the tokens; the plan has its 8 poses
    const camera = back.first.get('/camera') as { format: string; data: string };
    expect(camera.format).toBe('png');
    expect([...Buffer.from(camera.data, 'base64').subarray(0, 4)]).toEqual(PNG);
    const log = back.first.get('/reasoning') as { message: string; level: number };
    expect(log.message).toBe('step 0; mode think; tokens 3 7; latency 20 ms\nlight ahead is red, step 0');
    expect((back.first.get('/plan/poses') as { poses: unknown[] }).poses).toHaveLength(8);
    const agents = back.first.get('/agents') as { entities: { id: string; cubes: unknown[] }[] };
    expect(agents.entities[0]!.id).toBe('ego');
    expect(agents.entities.length).toBe(record.agents.filter((a) => a.x[0] !== null).length);
    const roads = (back.first.get('/map') as { entities: { id: string; lines: unknown[] }[] }).entities[0]!;
    expect([roads.id, roads.lines.length]).toEqual(['roads', 2 * record.map.lanes.length]);
    const metadata = [];
    for await (const m of back.reader.readMetadata({ name: 'drivefm.episode' })) metadata.push(m);
    expect(metadata.map((m) => m.metadata.get('epdms'))).toEqual([String(record.score.epdms)]);
  });

  it('the same episode gives the same bytes; an <eval>/<id> name works too', async () => {
    const a = join(tmp, 'a.mcap');
    const b = join(tmp, 'b.mcap');
    await exportEpisodeMcap(run, 'red-light-runner-1', a);
    await exportEpisodeMcap(run, `${EVAL}/red-light-runner-1`, b);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('an unknown episode or a run without records: a usage error naming what exists', async () => {
    await expect(exportEpisodeMcap(run, 'jaywalker-9', join(tmp, 'x.mcap'))).rejects.toThrow(
      `episode 'jaywalker-9': not recorded in ${run}; e.g. ${EVAL}/red-light-runner-1`,
    );
    await expect(exportEpisodeMcap(join(tmp, 'empty'), 'a-1', join(tmp, 'x.mcap'))).rejects.toThrow(
      /episodes: no recorded episodes/,
    );
  });
});
