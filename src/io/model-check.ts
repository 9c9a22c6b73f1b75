import { NablaError } from '../errors.js';
import { activation } from '../nn/activations.js';
import { cost } from '../nn/costs.js';
import { checkOutputLayer } from '../nn/output-layer.js';
import { outputActivation } from '../nn/outputs.js';
import type { ModelRecord } from './model-format.js';

/**
 * Checks what a model file's metadata says against itself and its tensors, so a bad file is
 * named before it is used: every activation and the cost are known names, the class names are
 * one per output (two for one sigmoid output), and every weight and bias is finite. Throws
 * NablaError('FORMAT') naming `file`, the field or tensor, and what was expected.
 *
 * @example
 * checkModelMetadata(decodeModel(bytes, 'model.safetensors'), 'model.safetensors');
 */
export function checkModelMetadata(model: ModelRecord, file: string): void {
  const fail = (what: string): never => {
    throw new NablaError('FORMAT', `${file}: ${what}`);
  };
  const known = (field: string, make: () => unknown): void => {
    try {
      make();
    } catch (e) {
      if (e instanceof NablaError) fail(`__metadata__ '${field}': ${e.message}`);
      throw e;
    }
  };
  const alphas = model.hiddenAlpha;
  (Array.isArray(model.hidden) ? model.hidden : [model.hidden]).forEach((name, l) => {
    known('hidden', () => activation(name, Array.isArray(alphas) ? alphas[l] : alphas));
  });
  known('output', () => outputActivation(model.output));
  known('cost', () => cost(model.cost));
  known('output', () => checkOutputLayer(outputActivation(model.output).name, cost(model.cost).name, model.sizes[model.sizes.length - 1]!));
  const nL = model.sizes[model.sizes.length - 1]!;
  if (model.classNames) {
    const expected = nL === 1 ? 2 : nL;
    if (model.classNames.length !== expected) {
      fail(`__metadata__ 'class_names' has ${model.classNames.length} names, but the network has ${nL} output${nL === 1 ? ' (two classes)' : 's'}: expected ${expected}`);
    }
  }
  const tensors = [...model.weights.map((w, l) => [`W[${l + 1}]`, w] as const), ...model.biases.map((b, l) => [`b[${l + 1}]`, b] as const)];
  for (const [name, values] of tensors) {
    const i = values.findIndex((v) => !Number.isFinite(v));
    if (i >= 0) fail(`${name} holds ${values[i]} at index ${i}: a model's weights and biases must be finite numbers`);
  }
}
