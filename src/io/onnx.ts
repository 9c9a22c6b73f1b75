/**
 * ONNX export of a trained network, bytes out (no Node imports: this runs in browsers). The graph
 * computes what `nabla predict` computes, from the raw inputs:
 *
 *   input (batch × N0, float32)
 *   → Sub(shift), Mul(scale)          the model file's input scaling x′ = (x − shift) · scale
 *   → Gemm(W[1], b[1], transB=1) → f  Z = A · Wᵀ + b, W in PyTorch's Linear layout (N_ℓ × N_(ℓ−1))
 *   → ...
 *   → Gemm(W[L], b[L], transB=1) → g  g = Softmax(axis=-1), Sigmoid or Identity
 *   → output (batch × NL)
 *
 * The batch dimension is symbolic ('batch'). The messages are built from the official onnx.proto
 * (compiled to a protobufjs descriptor at build time) and encoded by protobufjs. IR version 8 and
 * opset 17: ONNX 1.12's, so Debian's onnx checker accepts the file, and every ONNX Runtime since
 * 1.13 (onnxruntime-web included) runs it.
 */
import protobuf from 'protobufjs/light.js';
import { NablaError } from '../errors.js';
import { architectureMetadata, checkModelRecord, linearIndex, type ModelRecord } from './model-format.js';
import { ONNX_SCHEMA } from './onnx-schema.gen.js';

/** The ONNX operator set the export imports (default domain). */
export const ONNX_OPSET = 17;
/** The name of the graph's input, batch × N0 raw features. */
export const ONNX_INPUT = 'input';
/** The name of the graph's output, batch × NL (probabilities or values). */
export const ONNX_OUTPUT = 'output';

/** ONNX's TensorProto.DataType.FLOAT and AttributeProto.AttributeType FLOAT and INT. */
const FLOAT = 1;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;

interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
}

interface OnnxNode {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: OnnxAttribute[];
}

/** A node `op(inputs) → outputs`, named after its output; attributes are floats or integers. */
function node(op: string, input: string[], output: string, attributes: { floats?: Record<string, number>; ints?: Record<string, number> } = {}): OnnxNode {
  const attribute: OnnxAttribute[] = [
    ...Object.entries(attributes.floats ?? {}).map(([name, f]) => ({ name, type: ATTRIBUTE_FLOAT, f })),
    ...Object.entries(attributes.ints ?? {}).map(([name, i]) => ({ name, type: ATTRIBUTE_INT, i })),
  ];
  return { name: `${output}.${op}`, op_type: op, input, output: [output], attribute };
}

/** The nodes of one elementwise activation, from tensor `x` to tensor `y` (`alpha`: leaky ReLU's slope). */
type ActivationNodes = (x: string, y: string, alpha: number) => OnnxNode[];

/** Hidden activations f as ONNX nodes (Nabla's names; see nn/activations.ts for the formulas). */
const HIDDEN_NODES: Readonly<Record<string, ActivationNodes>> = {
  identity: (x, y) => [node('Identity', [x], y)],
  relu: (x, y) => [node('Relu', [x], y)],
  'leaky-relu': (x, y, alpha) => [node('LeakyRelu', [x], y, { floats: { alpha } })],
  sigmoid: (x, y) => [node('Sigmoid', [x], y)],
  tanh: (x, y) => [node('Tanh', [x], y)],
  // softplus(z) = ln(1 + e^z)
  softplus: (x, y) => [node('Softplus', [x], y)],
  // swish(z) = z · σ(z): opset 17 has no Swish/SiLU operator
  swish: (x, y) => [node('Sigmoid', [x], `${y}.sigmoid`), node('Mul', [x, `${y}.sigmoid`], y)],
  // gelu-tanh(z) = ½ z (1 + tanh(√(2/π) (z + 0.044715 z³))): opset 17's own Gelu is opset 20's
  'gelu-tanh': (x, y) => [
    node('Constant', [], `${y}.k`, { floats: { value_float: 0.044715 } }),
    node('Constant', [], `${y}.c`, { floats: { value_float: Math.sqrt(2 / Math.PI) } }),
    node('Constant', [], `${y}.half`, { floats: { value_float: 0.5 } }),
    node('Constant', [], `${y}.one`, { floats: { value_float: 1 } }),
    node('Mul', [x, x], `${y}.x2`),
    node('Mul', [`${y}.x2`, x], `${y}.x3`),
    node('Mul', [`${y}.x3`, `${y}.k`], `${y}.kx3`),
    node('Add', [x, `${y}.kx3`], `${y}.inner`),
    node('Mul', [`${y}.inner`, `${y}.c`], `${y}.u`),
    node('Tanh', [`${y}.u`], `${y}.t`),
    node('Add', [`${y}.t`, `${y}.one`], `${y}.onePlusT`),
    node('Mul', [x, `${y}.half`], `${y}.halfX`),
    node('Mul', [`${y}.halfX`, `${y}.onePlusT`], y),
  ],
};

/** Output activations g as ONNX nodes: softmax over each row (the last axis), sigmoid, or none. */
const OUTPUT_NODES: Readonly<Record<string, ActivationNodes>> = {
  softmax: (x, y) => [node('Softmax', [x], y, { ints: { axis: -1 } })],
  sigmoid: (x, y) => [node('Sigmoid', [x], y)],
  identity: (x, y) => [node('Identity', [x], y)],
};

/** The hidden activations `encodeOnnx` can export (the others fail with a NablaError naming them). */
export const onnxHiddenActivations: readonly string[] = Object.keys(HIDDEN_NODES);

/** What the output holds, by output activation (the output's doc_string). */
const OUTPUT_MEANING: Readonly<Record<string, string>> = {
  softmax: 'class probabilities (softmax over each row)',
  sigmoid: 'probabilities (sigmoid)',
  identity: 'values',
};

function mapped(table: Readonly<Record<string, ActivationNodes>>, name: string, what: string): ActivationNodes {
  if (Object.prototype.hasOwnProperty.call(table, name)) return table[name]!;
  throw new NablaError('UNKNOWN_NAME', `cannot export the ${what} '${name}' to ONNX: it has no ONNX mapping (exportable: ${Object.keys(table).join(', ')})`);
}

/** A float32 tensor initializer, its values little-endian in raw_data whatever the platform. */
function floatTensor(name: string, dims: number[], values: Float32Array): Record<string, unknown> {
  const raw = new Uint8Array(4 * values.length);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
  return { name, dims, data_type: FLOAT, raw_data: raw };
}

/** A float32 graph input or output of shape batch × `width`, the batch dimension symbolic. */
function batchOf(name: string, width: number, doc: string): Record<string, unknown> {
  return {
    name,
    doc_string: doc,
    type: { tensor_type: { elem_type: FLOAT, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
  };
}

let modelType: protobuf.Type | undefined;

/** onnx.ModelProto from the compiled descriptor, built once. */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** The IR version onnx.proto defines as current (Version.IR_VERSION: 8 for ONNX 1.12). */
export function onnxIrVersion(): number {
  return modelProto().root.lookupEnum('onnx.Version').values.IR_VERSION!;
}

/** What the ONNX file says about who wrote it. */
export interface OnnxExportOptions {
  /** ModelProto.producer_version, e.g. the package's version. */
  producerVersion?: string;
}

/**
 * Encodes a model record as an ONNX model (protobuf bytes): one Gemm per layer (transB = 1, the
 * PyTorch weight layout), the activations, the input scaling as Sub/Mul nodes before the first
 * layer, input 'input' and output 'output' of shape batch × N, the architecture and class names
 * in metadata_props. An activation without an ONNX mapping is a NablaError naming it.
 *
 * @example
 * const bytes = encodeOnnx(networkToRecord(net, { scaling, classNames }));
 * const session = await ort.InferenceSession.create(bytes); // onnxruntime-web or -node
 */
export function encodeOnnx(model: ModelRecord, options: OnnxExportOptions = {}): Uint8Array {
  checkModelRecord(model);
  const { sizes } = model;
  const layers = sizes.length - 1;
  const hiddenName = (l: number): string => (Array.isArray(model.hidden) ? model.hidden[l]! : (model.hidden as string));
  const hidden = Array.from({ length: layers - 1 }, (_, l) => mapped(HIDDEN_NODES, hiddenName(l), 'hidden activation'));
  const output = mapped(OUTPUT_NODES, model.output, 'output activation');

  const nodes: OnnxNode[] = [];
  const initializer: Record<string, unknown>[] = [];
  let a = ONNX_INPUT;
  const { scaling } = model;
  // x′ = (x − shift) · scale, leaving out a shift of 0 and a scale of 1
  if (scaling && scaling.shift.some((s) => s !== 0)) {
    initializer.push(floatTensor('scaling.shift', [sizes[0]!], scaling.shift));
    nodes.push(node('Sub', [a, 'scaling.shift'], 'shifted'));
    a = 'shifted';
  }
  if (scaling && scaling.scale.some((s) => s !== 1)) {
    initializer.push(floatTensor('scaling.scale', [sizes[0]!], scaling.scale));
    nodes.push(node('Mul', [a, 'scaling.scale'], 'scaled'));
    a = 'scaled';
  }
  const scalingOps = nodes.map((n) => n.op_type);
  for (let l = 0; l < layers; l++) {
    const weight = `${linearIndex(l)}.weight`;
    const bias = `${linearIndex(l)}.bias`;
    initializer.push(floatTensor(weight, [sizes[l + 1]!, sizes[l]!], model.weights[l]!));
    initializer.push(floatTensor(bias, [sizes[l + 1]!], model.biases[l]!));
    const z = `z${l + 1}`;
    nodes.push(node('Gemm', [a, weight, bias], z, { floats: { alpha: 1, beta: 1 }, ints: { transA: 0, transB: 1 } }));
    a = l < layers - 1 ? `a${l + 1}` : ONNX_OUTPUT;
    const alpha = Array.isArray(model.hiddenAlpha) ? model.hiddenAlpha[l]! : (model.hiddenAlpha ?? 0.01);
    nodes.push(...(l < layers - 1 ? hidden[l]!(z, a, alpha) : output(z, a, 0)));
  }

  const metadata: Record<string, string> = { architecture: sizes.join('/'), ...architectureMetadata(model) };
  if (scaling) metadata.input_scaling = `${scaling.kind}, applied inside the graph (${scalingOps.join(', ') || 'the identity'}): feed raw inputs`;
  const message = {
    ir_version: onnxIrVersion(),
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'nabla',
    ...(options.producerVersion ? { producer_version: options.producerVersion } : {}),
    doc_string: `A ${sizes.join('/')} feed-forward network trained with Nabla.`,
    graph: {
      name: `nabla ${sizes.join('/')}`,
      node: nodes,
      initializer,
      input: [batchOf(ONNX_INPUT, sizes[0]!, scaling ? 'raw features, as given to nabla predict (the scaling is in the graph)' : 'features')],
      output: [batchOf(ONNX_OUTPUT, sizes[layers]!, OUTPUT_MEANING[model.output]!)],
    },
    metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  const type = modelProto();
  const problem = type.verify(message);
  if (problem) throw new Error(`encodeOnnx built an invalid ModelProto: ${problem}`);
  // a plain Uint8Array of its own in Node too, where protobufjs hands out a Buffer (maybe a slice of a shared pool)
  return new Uint8Array(type.encode(type.fromObject(message)).finish());
}
