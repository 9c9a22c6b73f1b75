// Nabla's WebAssembly SIMD kernels (AssemblyScript, f32x4).
//
// Every pointer is a byte offset into the one memory the JavaScript side allocates from. Every
// exported kernel takes (t, T) last: thread t of T computes a fixed share of the output, and each
// output element is computed by exactly one thread with exactly the same sequence of float32
// operations whatever the share boundaries are, so results are bit-identical for any T:
// - a GEMM element is Σ_p in order p = 0..k−1 (NN, TN: one lane per element; NT: lane l sums
//   p ≡ l mod 4, reduced as (l0 + l2) + (l1 + l3), then the tail p ≥ 4⌊k/4⌋ in order, then bias);
// - an elementwise result always goes through the same vector function (tails use partial vectors).
// Partial vectors may read up to 12 bytes past the end of an array; the allocator leaves slack at
// the end of memory, and the extra lanes are never stored.
//
// One file per kernel family (XNNPACK style); this entry point only re-exports them:
//   common.ts          thread shares and partial-vector stores
//   vmath.ts           e^x, ln y, σ, tanh on f32x4
//   activations.ts     f and d·f′ per activation kernel id (ids from activation-kernels.json)
//   reductions.ts      column sums, sums of squares (whole, per row), max |x|
//   gemm-nt.ts         C = A · Bᵀ (+ bias), then f(C)       — the forward pass
//   gemm-broadcast.ts  C = Aᵀ · B and C = A · B (⊙ f′)    — the two backward GEMMs
//   updates.ts         the optimizers' steps (SGD, momentum, Adagrad, RMSprop, Adam), weight decay, clipping
//   gather-u8.ts       uint8 rows to scaled float32
//   softmax.ts         the softmax output layer, row by row
//   dropout.ts         inverted dropout's masks (the Rng's generator) and the backward pass's multiply

/** First free byte after the module's static data: the JavaScript allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}

export { activate, activateGrad } from './activations';
export { colSums, maxAbs, rowSquares, sumSquares, weightSquares } from './reductions';
export { gemmNT } from './gemm-nt';
export { gemmNN, gemmTN, scratchBytes, tnMeasuresRows } from './gemm-broadcast';
export { adagradUpdate, adamUpdate, addScaled, clampValues, momentumUpdate, rmspropUpdate, scaleValues, sgdUpdate, sgdUpdateRows } from './updates';
export { scaleU8, scaleU8Uniform } from './gather-u8';
export { softmaxRows } from './softmax';
export { dropoutMask, maskMultiply } from './dropout';
