/**
 * ONNX export, judged by ONNX Runtime: for every hidden activation × output activation, with and
 * without input scaling, the exported graph fed the raw inputs gives what `nabla predict` gives
 * (the model record → networkFromRecord → the record's scaling → forward, as src/cli/predict.ts
 * does) on 128 samples, within 1e-5 (absolute, relative above 1).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import protobuf from 'protobufjs/light.js';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { applyScaling, fitScaling } from '../../src/data/scaling.js';
import type { ModelRecord } from '../../src/io/model-format.js';
import { networkFromRecord, networkToRecord } from '../../src/io/network-record.js';
import { encodeOnnx, onnxHiddenActivations } from '../../src/io/onnx.js';
import { ONNX_SCHEMA } from '../../src/io/onnx-schema.gen.js';
import { activationNames } from '../../src/nn/activations.js';
import { Network } from '../../src/nn/network.js';
import { outputNames } from '../../src/nn/outputs.js';
import { Matrix } from '../../src/tensor/matrix.js';
import { Rng } from '../../src/tensor/rng.js';
import { assertNablaError } from '../data/helpers.js';
import { maxScaledError } from '../helpers/approx.js';
import { runOnnx } from '../helpers/onnx-runtime.js';

const SAMPLES = 128;
const SIZES = [6, 9, 7, 4];

/** Raw inputs far from standardised (feature j around 40 + 15j, spread 8) when `offset`, else N(0, 2²). */
function rawInputs(seed: number, offset: boolean): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: SAMPLES }, () => Array.from({ length: SIZES[0]! }, (_, j) => (offset ? 40 + 15 * j + 8 * rng.normal() : 2 * rng.normal())));
}

/** What `nabla predict` computes for raw rows: the record's network on the rows through the record's scaling. */
function nablaPredict(record: ModelRecord, rows: number[][]): Float32Array {
  const n0 = record.sizes[0]!;
  let data = arrayDataset(rows, { targets: rows.map(() => new Array<number>(record.sizes.at(-1)!).fill(0)) });
  if (record.scaling) data = applyScaling(data, record.scaling);
  const x = new Float32Array(rows.length * n0);
  data.gatherInputs(Int32Array.from(rows.keys()), x);
  return networkFromRecord(record).predict(new Matrix(rows.length, n0, x)).data;
}

/** Exports `record`, runs it in ONNX Runtime on the raw rows, and returns the worst scaled error against Nabla. */
async function onnxVersusNabla(record: ModelRecord, rows: number[][]): Promise<number> {
  const { data, dims } = await runOnnx(encodeOnnx(record), Float32Array.from(rows.flat()), rows.length, record.sizes[0]!);
  assert.deepEqual(dims, [rows.length, record.sizes.at(-1)]);
  return maxScaledError(data, nablaPredict(record, rows));
}

test('every hidden × output activation, with and without input scaling: ONNX Runtime agrees with nabla predict within 1e-5', async (t) => {
  for (const required of ['relu', 'leaky-relu', 'sigmoid', 'tanh', 'softplus', 'swish', 'gelu-tanh', 'identity']) assert.ok(onnxHiddenActivations.includes(required), required);
  let seed = 0;
  const errors: string[] = [];
  for (const hidden of activationNames) {
    for (const output of outputNames) {
      for (const scaled of [false, true]) {
        seed++;
        const net = Network.create(SIZES, { hidden, output, leakySlope: 0.2, seed });
        const rows = rawInputs(1000 + seed, scaled);
        const train = arrayDataset(rows, { targets: rows.map(() => [0, 0, 0, 0]) });
        const record = networkToRecord(net, scaled ? { scaling: fitScaling(train, 'standard') } : {});
        if (!onnxHiddenActivations.includes(hidden)) {
          // an activation added to Nabla without an ONNX mapping must fail by name, not export wrongly
          assertNablaError(() => encodeOnnx(record), 'UNKNOWN_NAME', `hidden activation '${hidden}'`);
          continue;
        }
        if (scaled) assert.ok(record.scaling!.shift.every((s) => s > 20), 'the scaling shifts far');
        const e = await onnxVersusNabla(record, rows);
        errors.push(`${hidden}/${output}${scaled ? '+scaled' : ''} ${e.toExponential(1)}`);
        assert.ok(e <= 1e-5, `${hidden} hidden, ${output} output, ${scaled ? 'scaled' : 'unscaled'}: max error ${e}`);
      }
    }
  }
  t.diagnostic(`max scaled error, ${SAMPLES} samples each: ${errors.join(', ')}`);
  assert.ok(errors.length >= 7 * 3 * 2, `${errors.length} combinations`);
});

test('one hidden activation per layer and a leaky slope of 0.2 are exported as such', async () => {
  const net = Network.create(SIZES, { seed: 7 });
  const record: ModelRecord = { ...networkToRecord(net), hidden: ['leaky-relu', 'swish'], hiddenAlpha: 0.2 };
  const rows = rawInputs(77, false);
  assert.ok((await onnxVersusNabla(record, rows)) <= 1e-5);
  // A slope of 0.01 gives other outputs: the exported slope is the record's.
  const other = await runOnnx(encodeOnnx({ ...record, hiddenAlpha: 0.01 }), Float32Array.from(rows.flat()), SAMPLES, SIZES[0]!);
  assert.ok(maxScaledError(other.data, nablaPredict(record, rows)) > 1e-4);
});

test('the ModelProto: IR 8, opset 17, one Gemm per layer (transB = 1), scaling nodes first, a symbolic batch, metadata', async () => {
  const net = Network.create([3, 5, 2], { hidden: 'tanh', output: 'softmax', seed: 3 });
  const scaling = { kind: 'minmax' as const, shift: Float32Array.from([1, 2, 3]), scale: Float32Array.from([0.5, 0.25, 2]) };
  const record = networkToRecord(net, { scaling, task: 'classification', classNames: ['cat', 'dog'] });
  const bytes = encodeOnnx(record, { producerVersion: '9.9.9' });
  const modelProto = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  const model = modelProto.toObject(modelProto.decode(bytes), { longs: Number, defaults: false }) as {
    ir_version: number;
    opset_import: { domain?: string; version: number }[];
    producer_name: string;
    producer_version: string;
    graph: {
      node: { op_type: string; input: string[]; output: string[]; attribute?: { name: string; i?: number; f?: number }[] }[];
      initializer: { name: string; dims: number[]; raw_data: Uint8Array }[];
      input: { name: string; type: { tensor_type: { shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[];
      output: { name: string; type: { tensor_type: { shape: { dim: { dim_param?: string; dim_value?: number }[] } } } }[];
    };
    metadata_props: { key: string; value: string }[];
  };
  assert.equal(model.ir_version, 8);
  assert.deepEqual(model.opset_import, [{ domain: '', version: 17 }]);
  assert.equal(model.producer_name, 'nabla');
  assert.equal(model.producer_version, '9.9.9');
  const { graph } = model;
  assert.deepEqual(graph.node.map((n) => n.op_type), ['Sub', 'Mul', 'Gemm', 'Tanh', 'Gemm', 'Softmax']);
  for (const gemm of graph.node.filter((n) => n.op_type === 'Gemm')) {
    assert.equal(gemm.attribute!.find((a) => a.name === 'transB')!.i, 1);
  }
  assert.equal(graph.node.at(-1)!.attribute!.find((a) => a.name === 'axis')!.i, -1);
  assert.deepEqual(graph.node[0]!.input, ['input', 'scaling.shift']);
  assert.deepEqual(graph.node.at(-1)!.output, ['output']);
  const w0 = graph.initializer.find((t) => t.name === '0.weight')!;
  assert.deepEqual(w0.dims, [5, 3]);
  const raw = new DataView(w0.raw_data.buffer, w0.raw_data.byteOffset, w0.raw_data.byteLength);
  assert.deepEqual(Array.from({ length: 15 }, (_, i) => raw.getFloat32(4 * i, true)), Array.from(record.weights[0]!));
  assert.deepEqual(graph.initializer.map((t) => t.name), ['scaling.shift', 'scaling.scale', '0.weight', '0.bias', '2.weight', '2.bias']);
  assert.deepEqual(graph.input[0]!.name, 'input');
  assert.deepEqual(graph.input[0]!.type.tensor_type.shape.dim, [{ dim_param: 'batch' }, { dim_value: 3 }]);
  assert.deepEqual(graph.output[0]!.type.tensor_type.shape.dim, [{ dim_param: 'batch' }, { dim_value: 2 }]);
  const meta = Object.fromEntries(model.metadata_props.map((p) => [p.key, p.value]));
  assert.equal(meta.architecture, '3/5/2');
  assert.deepEqual(JSON.parse(meta.class_names!), ['cat', 'dog']);
  assert.equal(meta.hidden, 'tanh');
  assert.equal(meta.output, 'softmax');
  assert.equal(meta.task, 'classification');
  assert.match(meta.input_scaling!, /^minmax, applied inside the graph/);

  // The batch dimension is dynamic: one session answers 1 row and 300 rows.
  for (const m of [1, 300]) {
    const rows = Array.from({ length: m }, (_, i) => [i % 7, (i * 3) % 11, (i * 5) % 13]);
    const { data } = await runOnnx(bytes, Float32Array.from(rows.flat()), m, 3);
    assert.ok(maxScaledError(data, nablaPredict(record, rows)) <= 1e-5, `${m} rows`);
  }
});

test('an activation without an ONNX mapping is an error naming it', () => {
  const record = networkToRecord(Network.create([3, 4, 2], { seed: 1 }));
  assertNablaError(() => encodeOnnx({ ...record, hidden: ['mish'] }), 'UNKNOWN_NAME', "'mish'");
  assertNablaError(() => encodeOnnx({ ...record, output: 'log-softmax' }), 'UNKNOWN_NAME', "output activation 'log-softmax'", 'softmax, sigmoid, identity');
  assertNablaError(() => encodeOnnx({ ...record, weights: [new Float32Array(5), record.weights[1]!] }), 'SHAPE', 'layer 1', '4 × 3');
});
