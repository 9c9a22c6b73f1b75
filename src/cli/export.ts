import { extname } from 'node:path';
import { NablaError } from '../errors.js';
import { writeFileAtomic } from '../io/files.js';
import { readModelFile } from '../io/model-file.js';
import { encodeModel, type ModelRecord } from '../io/model-format.js';
import { encodeOnnx, ONNX_OPSET, onnxIrVersion } from '../io/onnx.js';
import { checkWritable } from './writable.js';

export interface ExportFlags {
  out: string;
  format?: string;
}

interface ExportFormat {
  /** The file name extension that selects this format when --format is not given. */
  extension: string;
  encode(model: ModelRecord, producerVersion: string): Uint8Array;
  describe(): string;
}

/** The formats `nabla export` writes. */
const FORMATS: Readonly<Record<string, ExportFormat>> = {
  onnx: {
    extension: '.onnx',
    encode: (model, producerVersion) => encodeOnnx(model, { producerVersion }),
    describe: () => `ONNX (IR ${onnxIrVersion()}, opset ${ONNX_OPSET}), input 'input', output 'output'`,
  },
  safetensors: {
    extension: '.safetensors',
    encode: (model) => encodeModel(model),
    describe: () => 'safetensors (nn.Sequential state_dict)',
  },
};

export const exportFormats = Object.keys(FORMATS);

/** The format `--format` names, else the one the extension of `out` selects. */
function chooseFormat(out: string, format: string | undefined): ExportFormat {
  const names = exportFormats.join(', ');
  if (format !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(FORMATS, format)) throw new NablaError('UNKNOWN_NAME', `unknown format '${format}': expected one of ${names}`);
    return FORMATS[format]!;
  }
  const ext = extname(out).toLowerCase();
  const byExtension = Object.values(FORMATS).find((f) => f.extension === ext);
  if (!byExtension) {
    const known = Object.values(FORMATS).map((f) => f.extension).join(' or ');
    throw new NablaError('UNKNOWN_NAME', `--out ${out}: cannot tell the format from the extension '${ext}' (expected ${known}); give --format ${exportFormats.join('|')}`);
  }
  return byExtension;
}

/**
 * `nabla export MODEL --out FILE`: the model as ONNX (or rewritten as safetensors), written
 * atomically. --out is checked first as `nabla train` checks its outputs, and may not be the model
 * itself: an ONNX file written over it would lose the model.
 */
export function exportCommand(modelFile: string, flags: ExportFlags, producerVersion: string): void {
  const format = chooseFormat(flags.out, flags.format);
  checkWritable([{ flag: '--out', path: flags.out }], [{ flag: '<model>', path: modelFile }]);
  let model: ModelRecord;
  try {
    model = readModelFile(modelFile);
  } catch (e) {
    if (e instanceof NablaError && e.code === 'FORMAT') {
      throw new NablaError('FORMAT', `${modelFile} is not a Nabla model file (safetensors): ${e.message.replace(`${modelFile}: `, '')}`);
    }
    throw e;
  }
  const bytes = format.encode(model, producerVersion);
  writeFileAtomic(flags.out, bytes);
  process.stdout.write(`Wrote ${flags.out}: ${model.sizes.join('/')} as ${format.describe()}, ${bytes.length.toLocaleString('en-US')} bytes\n`);
}
