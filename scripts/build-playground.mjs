// Builds the playground (playground/index.html + playground/src) into a static folder, default
// dist/playground: main.js (the page), worker.js (training), the page, and the data files it
// fetches. No CDN: everything the page loads is in the folder. Usage:
//   node scripts/build-playground.mjs [outDir]
import { build } from 'esbuild';
import { browserPlatform } from './browser-platform.mjs';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'playground'));


rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'data'), { recursive: true });
const result = await build({
  entryPoints: { main: join(root, 'playground', 'src', 'main.ts'), worker: join(root, 'playground', 'src', 'worker.ts'), 'chart-worker': join(root, 'playground', 'src', 'chart-worker.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  plugins: [browserPlatform],
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(root, 'playground', 'index.html'), join(out, 'index.html'));
for (const f of ['mnist-10k-images-idx3-ubyte.gz', 'mnist-10k-labels-idx1-ubyte.gz']) copyFileSync(join(root, 'playground', 'data', f), join(out, 'data', f));
const sizes = Object.keys(result.metafile.outputs).map((f) => `${f.split('/').pop()} ${(statSync(resolve(root, f)).size / 1024).toFixed(0)} KiB`);
// A static host has no Fashion-MNIST; `nabla playground` answers config.json itself when it finds it.
writeFileSync(join(out, 'config.json'), JSON.stringify({ fashionMnist: false }) + '\n');
console.log(`build-playground: ${out} (${sizes.join(', ')})`);
