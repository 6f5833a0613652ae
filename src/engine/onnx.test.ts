import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { f32 } from './engine.js';
import { Graph } from './graph.js';
import { checkOnnxSignature, OPSET, readOnnxSignature, signatureOf, toOnnx } from './onnx.js';
import { createOrtEngineFromFile, createOrtSession } from './session.js';

function linear(outWidth: number): Graph {
  const g = new Graph();
  const x = g.input('x', [2, 3]);
  const w = g.param('w', [3, outWidth], { kind: 'normal', std: 1 });
  g.output('y', g.matmul(x, w));
  return g;
}

describe('ONNX serialisation', () => {
  it(`writes opset ${OPSET} that onnxruntime loads, with the graph's signature`, async () => {
    const bytes = toOnnx(linear(4));
    const sig = readOnnxSignature(bytes, 'linear.onnx');
    expect(sig.opset).toBe(OPSET);
    expect(sig.inputs).toEqual([
      { name: 'x', dtype: 'float32', shape: [2, 3] },
      { name: 'w', dtype: 'float32', shape: [3, 4] },
    ]);
    expect(sig.outputs).toEqual([{ name: 'y', dtype: 'float32', shape: [2, 4] }]);
    const session = await createOrtSession(bytes, { threads: 1 });
    expect(session.inputNames).toEqual(['x', 'w']);
    await session.release();
    expect(() => checkOnnxSignature(bytes, signatureOf(linear(4)), 'linear.onnx')).not.toThrow();
  });

  it('refuses an ONNX file of another graph, naming the file and the first difference', () => {
    const bytes = toOnnx(linear(5));
    const check = () => checkOnnxSignature(bytes, signatureOf(linear(4)), 'model.onnx');
    expect(check).toThrow(InputError);
    expect(check).toThrow(
      "model.onnx: graph.input[1]: wrong graph: expected 'w' float32(3, 4), found 'w' float32(3, 5)",
    );
  });

  it('bakes named weights in as initializers: a self-contained inference model', async () => {
    const w = f32([3, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2]);
    const bytes = toOnnx(linear(4), new Map([['w', w]]));
    expect(readOnnxSignature(bytes, 'baked.onnx').inputs.map((i) => i.name)).toEqual(['x']);
    const session = await createOrtSession(bytes, { threads: 1 });
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]),
    });
    await session.release();
    expect(Array.from(out.y!.data as Float32Array)).toEqual([1, 2, 3, 6, 4, 5, 6, 12]);
  });

  it('loads an ONNX file for the expected graph and refuses a file of another graph', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'drivefm-onnx-'));
    const file = join(dir, 'model.onnx');
    writeFileSync(file, toOnnx(linear(5)));
    const good = await createOrtEngineFromFile(file, signatureOf(linear(5)), { threads: 1 });
    await good.dispose();
    await expect(createOrtEngineFromFile(file, signatureOf(linear(4)))).rejects.toThrow(
      `${file}: graph.input[1]: wrong graph`,
    );
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => readOnnxSignature(Uint8Array.of(0xff, 0xff, 0xff), 'junk.onnx')).toThrow(
      /junk.onnx: not an ONNX model/,
    );
  });

  it('names an output after the tensor it is, without an Identity copy', () => {
    const g = new Graph();
    const x = g.input('x', [2]);
    g.output('double', g.add(x, x));
    g.output('same', x);
    const text = Buffer.from(toOnnx(g)).toString('latin1');
    expect(text.match(/Identity/g)?.length).toBe(1); // only for 'same', which is an input
  });
});
