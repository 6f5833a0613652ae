import { describe, expect, it } from 'vitest';
import { f32 } from './engine.js';
import { Graph } from './graph.js';
import { createOrtEngine } from './session.js';
import { liveSyncEngines, SyncOrtEngine } from './sync-engine.js';

function linear(): Graph {
  const g = new Graph();
  const x = g.input('x', [2, 3]);
  const w = g.param('w', [3, 2], { kind: 'normal', std: 1 });
  g.output('y', g.matmul(x, w));
  return g;
}

const X = f32([2, 3], [1, 2, 3, 4, 5, 6]);
const W = f32([3, 2], [1, 0, 0, 1, 2, -1]);

describe('SyncOrtEngine', () => {
  it('blocks for a run in a worker and matches the async engine with the weights baked in', async () => {
    const engine = SyncOrtEngine.create(linear(), new Map([['w', W]]), 1);
    const async = await createOrtEngine(linear(), { threads: 1 });
    const want = (await async.run({ x: X, w: W })).y!;
    expect(Array.from(engine.runSync({ x: X }).y!.data as Float32Array)).toEqual([7, -1, 16, -1]);
    expect(Array.from(want.data as Float32Array)).toEqual([7, -1, 16, -1]);
    const into = f32([2, 2], [0, 0, 0, 0]);
    const out = await engine.run({ x: X }, { y: into }); // the Engine interface: outputs written into `into`
    expect(out.y).toBe(into);
    expect(Array.from(into.data as Float32Array)).toEqual([7, -1, 16, -1]);
    expect(() => engine.runSync({ x: X, w: W })).toThrow("unknown input 'w'"); // baked in, not an input
    await Promise.all([engine.dispose(), async.dispose()]);
  });

  it('dispose ends the worker thread; a run after it is refused instead of blocking for ever', async () => {
    const before = liveSyncEngines();
    const engine = SyncOrtEngine.create(linear(), new Map([['w', W]]), 1);
    expect(liveSyncEngines()).toBe(before + 1);
    await engine.dispose();
    expect(liveSyncEngines()).toBe(before);
    expect(() => engine.runSync({ x: X })).toThrow('run after dispose()');
  });
});
