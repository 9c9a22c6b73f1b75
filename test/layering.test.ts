/**
 * The library must run in browsers: the main entry point, every other entry point a browser may
 * import, and the browser-safe folders (tensor/, kernels/, nn/, optim/, train/) reach no Node
 * built-in through any import, static or dynamic, the way a bundler building for the web resolves
 * them: `#platform` through the `browser` condition of package.json `imports`. Node-only code
 * lives in files named `*-node.ts`, reached only through the `node` condition or the Node door.
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string; browser?: string; node?: string }>;
  imports: Record<string, Record<string, string>>;
};
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };

/** The source file of a built file: ./dist/src/x/y.js → src/x/y.ts. */
function sourceOf(target: string): string {
  assert.match(target, /^\.\/dist\/src\/.*\.js$/, `${target} is not a built file under dist/src`);
  return join(root, target.slice('./dist/'.length).replace(/\.js$/, '.ts'));
}

/** The file a package `imports` specifier (#platform) resolves to under the conditions a bundler for the web sets. */
function browserTarget(spec: string): string {
  const entry = pkg.imports[spec];
  assert.ok(entry, `package.json imports has no ${spec}`);
  return sourceOf(entry.browser ?? entry.default!);
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Imports and re-exports, static (import … from '…', export … from '…', import '…') and dynamic (import('…')). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gms),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
}

const nodeOnly = (f: string): boolean => f.endsWith('-node.ts');

/** Every file reachable from `roots` as a browser bundle resolves them, and what in them is Node-only. */
function walk(roots: string[]): { seen: Set<string>; offenders: string[] } {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string, via: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const name = file.slice(src.length + 1);
    if (nodeOnly(file)) offenders.push(`${name} is Node-only (reached from ${via})`);
    for (const spec of imports(file)) {
      if (builtins.has(spec)) offenders.push(`${name} imports ${spec} (reached from ${via})`);
      else if (spec.startsWith('#')) visit(browserTarget(spec), via);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), via);
    }
  };
  for (const f of roots) visit(f, f.slice(src.length + 1));
  return { seen, offenders };
}

test('the browser entry points, the browser-safe folders and all they import use no Node built-in', () => {
  const entries = Object.entries(pkg.exports).filter(([key]) => key !== './node');
  assert.ok(entries.some(([key]) => key === '.'), 'package.json exports has the main entry');
  const roots = entries.map(([, e]) => sourceOf(typeof e === 'string' ? e : (e.browser ?? e.default)));
  roots.push(...['tensor', 'kernels', 'nn', 'optim', 'train', 'worker'].flatMap((d) => files(join(src, d))).filter((f) => !nodeOnly(f)));
  const { seen, offenders } = walk(roots);
  assert.ok(seen.size > 20, `walked ${seen.size} files`);
  assert.ok(seen.has(join(src, 'kernels', 'wasm', 'pool.ts')), 'the wasm backend with its thread pool is in the browser graph');
  assert.ok(seen.has(join(src, 'platform', 'platform-browser.ts')), '#platform resolves to the browser file');
  assert.deepEqual(offenders, []);
});

test('#platform: the node condition, and tsconfig paths (tsx, tsc), map to the Node file; the browser and default conditions to the browser file', () => {
  const platform = pkg.imports['#platform']!;
  assert.equal(sourceOf(platform.node!), join(src, 'platform', 'platform-node.ts'));
  assert.equal(sourceOf(platform.browser!), join(src, 'platform', 'platform-browser.ts'));
  assert.equal(sourceOf(platform.default!), join(src, 'platform', 'platform-browser.ts'));
  assert.deepEqual(
    tsconfig.compilerOptions.paths['#platform']!.map((p) => resolve(root, p)),
    [join(src, 'platform', 'platform-node.ts')],
  );
  // Both files provide the same services.
  const exported = (f: string): string[] => [...readFileSync(f, 'utf8').matchAll(/^export const (\w+): Platform\b/gm)].map((m) => m[1]!);
  assert.deepEqual(exported(join(src, 'platform', 'platform-node.ts')), ['platform']);
  assert.deepEqual(exported(join(src, 'platform', 'platform-browser.ts')), ['platform']);
});
