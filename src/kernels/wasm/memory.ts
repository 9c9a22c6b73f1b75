import { NablaError } from '../../errors.js';

const PAGE = 65536;
/** Allocations start on cache-line boundaries. */
const ALIGN = 64;
/** Bytes kept free at the end of memory: the kernels read up to 12 bytes past an array's end. */
const SLACK = 64;
/** The memory a Float32Array from allocView was made on, as a hidden property of the view. */
const OWNER = Symbol('nabla.wasmMemory');

/**
 * The one WebAssembly.Memory of a wasm backend and a bump allocator over it. Every array the
 * network uses (weights, activations, gradients, optimizer state) is a Float32Array view of it,
 * allocated once and never freed, so the kernels work on them in place with no copies.
 *
 * Views must never be detached by growth: a shared memory (threads) keeps old views valid when it
 * grows; a plain memory is reserved at its full size up front and never grows.
 */
export class WasmMemory {
  readonly memory: WebAssembly.Memory;
  readonly shared: boolean;
  private top: number;
  /** Every buffer object views were made on, newest first (a shared memory hands out a new one after each growth): a few. */
  private readonly buffers: ArrayBufferLike[];

  constructor(shared: boolean, memoryMB: number) {
    this.shared = shared;
    this.memory = shared ? createShared(memoryMB) : createPlain(memoryMB);
    this.buffers = [this.memory.buffer];
    this.top = 0;
  }

  /** Starts allocating at `base` (the end of the module's static data). */
  reserveStatic(base: number): void {
    this.top = Math.max(this.top, align(base));
  }

  /** `bytes` zero bytes (fresh memory is never reused, so it is still zero), aligned to 64. */
  allocBytes(bytes: number): number {
    const at = align(this.top);
    const end = at + bytes;
    const have = this.memory.buffer.byteLength;
    if (end + SLACK > have) {
      if (!this.shared) {
        throw new NablaError(
          'BACKEND',
          `wasm backend: out of memory allocating ${bytes} bytes (${(have / 2 ** 20).toFixed(0)} MB reserved; pass a larger memoryMB, or use threads ≥ 2 so the memory can grow)`,
        );
      }
      const pages = Math.ceil((end + SLACK - have) / PAGE);
      try {
        this.memory.grow(Math.max(pages, have / PAGE / 2));
      } catch {
        try {
          this.memory.grow(pages);
        } catch {
          throw new NablaError('BACKEND', `wasm backend: cannot grow the memory to ${(end + SLACK) / 2 ** 20} MB for a ${bytes}-byte array`);
        }
      }
      this.buffers.unshift(this.memory.buffer);
    }
    this.top = end;
    return at;
  }

  /**
   * `bytes` zero bytes as a view of the memory: the view is made on the buffer after any growth
   * the allocation caused (a view of the buffer from before it would end short of the new bytes).
   */
  allocView<T>(bytes: number, view: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T, length: number): T {
    const at = this.allocBytes(bytes);
    const v = new view(this.buffers[0]!, at, length);
    if (v instanceof Float32Array) Object.defineProperty(v, OWNER, { value: this });
    return v;
  }

  /** A zero-filled Float32Array of n elements inside the memory. */
  allocFloats(n: number): Float32Array {
    if (!Number.isInteger(n) || n < 0) throw new NablaError('ARGUMENT', `alloc(${n}): expected a non-negative integer length`);
    return this.allocView(n * 4, Float32Array, n);
  }

  /**
   * True when `a` is a Float32Array view of this memory. Every kernel call checks several: a view
   * from allocView says so itself (1–2 ns); any other view (a subarray, one made on the buffer) is
   * looked up by its buffer, whose getter alone costs ~20 ns on a shared memory.
   */
  owns(a: ArrayBufferView): boolean {
    if ((a as { [OWNER]?: WasmMemory })[OWNER] === this) return true;
    if (!(a instanceof Float32Array)) return false;
    const b = a.buffer;
    for (let i = 0; i < this.buffers.length; i++) if (this.buffers[i] === b) return true;
    return false;
  }

  /** Bytes handed out so far. */
  get used(): number {
    return this.top;
  }
}

function align(x: number): number {
  return Math.ceil(x / ALIGN) * ALIGN;
}

function createShared(initialMB: number): WebAssembly.Memory {
  const initial = Math.max(1, Math.ceil((initialMB * 2 ** 20) / PAGE));
  // The address space for the maximum is reserved, not committed; browsers may refuse 4 GB.
  for (const maximum of [65536, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: Math.min(initial, maximum), maximum, shared: true });
    } catch {
      // try a smaller reservation
    }
  }
  throw new NablaError('BACKEND', 'wasm backend: cannot create a shared WebAssembly.Memory (SharedArrayBuffer unavailable?)');
}

function createPlain(totalMB: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil((totalMB * 2 ** 20) / PAGE));
  try {
    return new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    throw new NablaError('BACKEND', `wasm backend: cannot reserve ${totalMB} MB of WebAssembly memory; pass a smaller memoryMB`);
  }
}
