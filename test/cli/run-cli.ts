import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(repo, 'src', 'cli', 'run.ts');
/** tsx's loader, resolved here: the child runs in a temp folder where a bare 'tsx' would not resolve. */
const tsx = import.meta.resolve('tsx');
/** The repo's tsconfig, whose `paths` map `#platform` to the source file (the child runs in a temp folder, where tsx would not find it). */
const tsconfig = join(repo, 'tsconfig.json');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `nabla <args>` from the TypeScript source in `cwd` (a fresh temp folder by default). */
export function nabla(args: string[], cwd = tempDir(), timeoutMs = 300_000): CliResult {
  const r = spawnSync(process.execPath, ['--import', tsx, entry, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 << 20, env: { ...process.env, CI: 'true', TSX_TSCONFIG_PATH: tsconfig } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nabla-cli-'));
}

/** Runs `nabla <args>` and asserts a user error: a non-zero exit, one line `nabla: …` matching `pattern`, no stack trace. */
export function assertUserError(args: string[], pattern: RegExp, cwd?: string): void {
  const r = nabla(args, cwd);
  assert.notEqual(r.status, 0, `exit status for ${args.join(' ')}`);
  const err = r.stderr.trim();
  assert.doesNotMatch(err, /\n/, `one line only:\n${err}`);
  assert.doesNotMatch(err, /^\s+at |node:internal|\.ts:\d+/m, `no stack trace:\n${err}`);
  assert.match(err, /^nabla: /);
  assert.match(err, pattern);
}
