// Runs a drivefm vehicle .onnx with nothing but onnxruntime-node: camera, BEV, speed, instruction in, action tokens out.
// await (await loadVehicle(file)).plan({ camera: (H, W, 3) RGB bytes, bev: (K, N, N) bytes, speed [m/s], instruction })
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

/** Protobuf fields of `buf` as [number, bytes or varint] (ModelProto's top level has no fixed-width fields). */
function* fields(buf) {
  let i = 0;
  const varint = () => {
    let [n, m] = [0, 1];
    while (buf[i] & 128) [n, m] = [n + (buf[i++] & 127) * m, m * 128];
    return n + buf[i++] * m;
  };
  while (i < buf.length) {
    const key = varint();
    const end = key % 8 === 2 ? varint() + i : i; // varint() moves i first
    yield [key >>> 3, key % 8 === 2 ? buf.subarray(i, end) : varint()];
    i = Math.max(i, end);
  }
}
function bytePairEncode(instruction, vocab, merges) {
  const rank = new Map(merges.map(([a, b], r) => [`${a},${b}`, r]));
  return (instruction.match(new RegExp(vocab.pretoken, 'g')) ?? []).flatMap((word) => {
    let ids = [...new TextEncoder().encode(word)].map((b) => vocab.byteStart + b);
    for (;;) {
      const ranks = ids.slice(1).map((id, i) => rank.get(`${ids[i]},${id}`) ?? Infinity);
      const at = ranks.indexOf(Math.min(...ranks));
      if (at < 0 || ranks[at] === Infinity) return ids;
      ids = [...ids.slice(0, at), vocab.firstMerge + ranks[at], ...ids.slice(at + 2)];
    }
  });
}
export async function loadVehicle(path) {
  const bytes = readFileSync(path);
  const props = [...fields(bytes)].filter(([f]) => f === 14).map(([, v]) => Object.fromEntries(fields(v)));
  const meta = Object.fromEntries(props.map((kv) => [kv[1], kv[2]].map((b) => new TextDecoder().decode(b))));
  const json = (key) => JSON.parse(meta[`drivefm.${key}`]);
  const [vocab, { camera: c, bev: b }, { merges }] = [json('vocab'), json('model'), json('tokenizer')];
  const room = Number(meta['drivefm.prompt_tokens']); // the prompt input's width
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  const f32 = (data, dims) => new ort.Tensor('float32', Float32Array.from(data), dims);
  async function plan({ camera, bev, speed, instruction }) {
    const ids = [vocab.bos, vocab.instr, ...bytePairEncode(instruction, vocab, merges), vocab.act];
    if (ids.length > room) throw new Error(`prompt of ${ids.length} tokens exceeds the model's ${room}`);
    const prompt = BigInt64Array.from({ length: room }, (_, i) => BigInt(ids[i] ?? vocab.pad));
    const out = await session.run({
      camera: f32(camera, [c.height, c.width, 3]),
      bev: f32(bev, [b.channels, b.size, b.size]),
      speed: f32([speed], [1]),
      prompt: new ort.Tensor('int64', prompt, [1, room]),
      length: new ort.Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
    });
    const tokens = Array.from(out.actions.data, Number);
    const bins = tokens.map((id, k) => id - (k % 2 ? vocab.lateralStart : vocab.longitudinalStart));
    return { tokens, bins }; // bins: even k longitudinal, odd k lateral
  }
  return { meta, plan, release: () => session.release() };
}
