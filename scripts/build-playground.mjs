// Builds the playground (playground/index.html + playground/src) into a static folder, default
// dist/playground: main.js (the page), worker.js (training), the page, and the data files it
// fetches. No CDN: everything the page loads is in the folder. Usage:
//   node scripts/build-playground.mjs [outDir]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'playground'));
const chartUmd = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');

/**
 * Until the package's browser entry lands: Node built-ins (reached only on Node code paths, e.g.
 * the wasm pool's worker_threads spawner) become empty modules, and the report's Chart.js source is
 * inlined instead of read from disk.
 */
const browserShims = {
  name: 'browser-shims',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    b.onLoad({ filter: /[\\/]src[\\/]report[\\/]chart-library\.ts$/ }, () => ({
      contents: `import source from ${JSON.stringify(chartUmd)}; export function chartJsSource(): string { return source; }`,
      loader: 'ts',
    }));
    b.onLoad({ filter: /chart\.umd\.js$/ }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

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
  plugins: [browserShims],
  logLevel: 'warning',
  metafile: true,
});
copyFileSync(join(root, 'playground', 'index.html'), join(out, 'index.html'));
for (const f of ['digits.csv.gz', 'iris.csv', 'breast_cancer.csv']) copyFileSync(join(root, 'data', f), join(out, 'data', f));
for (const f of ['mnist-10k-images-idx3-ubyte.gz', 'mnist-10k-labels-idx1-ubyte.gz']) copyFileSync(join(root, 'playground', 'data', f), join(out, 'data', f));
const sizes = Object.keys(result.metafile.outputs).map((f) => `${f.split('/').pop()} ${(statSync(resolve(root, f)).size / 1024).toFixed(0)} KiB`);
// A static host has no Fashion-MNIST; `nabla playground` answers config.json itself when it finds it.
writeFileSync(join(out, 'config.json'), JSON.stringify({ fashionMnist: false }) + '\n');
console.log(`build-playground: ${out} (${sizes.join(', ')})`);
