import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
export function nabla(args: string[], cwd = tempDir(), timeoutMs = 300_000, preload: string[] = [], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', tsx, ...preload.flatMap((p) => ['--import', p]), entry, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 256 << 20,
    env: { ...process.env, CI: 'true', TSX_TSCONFIG_PATH: tsconfig, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `nabla <args>` as `nabla` does, and reports the child's peak resident memory (bytes, from getrusage). */
export function nablaPeakMemory(args: string[], cwd: string): CliResult & { maxRssBytes: number } {
  const file = join(cwd, `.max-rss-${process.pid}`);
  const r = nabla(args, cwd, 300_000, [pathToFileURL(join(repo, 'test', 'cli', 'max-rss.ts')).href], { NABLA_MAX_RSS_FILE: file });
  return { ...r, maxRssBytes: Number(readFileSync(file, 'utf8')) };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'nabla-cli-'));
}

/** Asserts a user error in a finished run: a non-zero exit, one line `nabla: …` matching `pattern`, no stack trace. */
export function assertFailure(r: CliResult, args: string[], pattern: RegExp): void {
  assert.notEqual(r.status, 0, `exit status for ${args.join(' ')}`);
  const err = r.stderr.trim();
  assert.doesNotMatch(err, /\n/, `one line only:\n${err}`);
  assert.doesNotMatch(err, /^\s+at |node:internal|\.ts:\d+/m, `no stack trace:\n${err}`);
  assert.match(err, /^nabla: /);
  assert.match(err, pattern);
}

/** Runs `nabla <args>` and asserts a user error (see `assertFailure`); returns the run. */
export function assertUserError(args: string[], pattern: RegExp, cwd?: string): CliResult {
  const r = nabla(args, cwd);
  assertFailure(r, args, pattern);
  return r;
}
