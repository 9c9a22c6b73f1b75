/**
 * ONNX Runtime as the independent judge of exported models: onnxruntime-web's WebAssembly build,
 * which runs in Node with nothing native, on one thread.
 */
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

/** The 'output' of an ONNX model (bytes) for `rows` × `cols` float32 inputs fed to its 'input'. */
export async function runOnnx(bytes: Uint8Array, x: Float32Array, rows: number, cols: number): Promise<{ data: Float32Array; dims: readonly number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ input: new ort.Tensor('float32', x, [rows, cols]) });
    const output = result.output!;
    return { data: output.data as Float32Array, dims: output.dims };
  } finally {
    await session.release();
  }
}
