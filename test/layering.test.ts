/**
 * The library must run in browsers: nothing under tensor/, kernels/, nn/, optim/, train/ (nor
 * what they import) may import a Node built-in. Node-only code lives in files named `*-node.ts`,
 * loaded on demand by a dynamic import (the wasm backend's worker spawner), never statically.
 */
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Static imports (import … from '…', export … from '…'), not `await import(…)`. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gms)].map((m) => m[1]!).concat(
    [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
  );
}

test('browser-safe folders and everything they import statically use no Node built-in', () => {
  const nodeOnly = (f: string): boolean => f.endsWith('-node.ts');
  const roots = ['tensor', 'kernels', 'nn', 'optim', 'train', 'worker'].flatMap((d) => files(join(src, d))).filter((f) => !nodeOnly(f));
  roots.push(join(src, 'index.ts'));
  const seen = new Set<string>();
  const offenders: string[] = [];
  const visit = (file: string, via: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (builtins.has(spec)) offenders.push(`${file.slice(src.length + 1)} imports ${spec} (reached from ${via})`);
      else if (spec.startsWith('.') && nodeOnly(spec.replace(/\.js$/, '.ts'))) offenders.push(`${file.slice(src.length + 1)} statically imports Node-only ${spec}`);
      else if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), via);
    }
  };
  for (const f of roots) visit(f, f.slice(src.length + 1));
  assert.ok(seen.size > 20, `walked ${seen.size} files`);
  assert.deepEqual(offenders, []);
});
