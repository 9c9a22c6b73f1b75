import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NablaError } from '../../src/errors.js';
import { HISTORY_FORMAT, parseHistory, readHistory, writeHistory } from '../../src/report/history-file.js';
import { writeReport } from '../../src/report/write-report.js';
import type { History } from '../../src/train/history.js';
import { syntheticClassification, syntheticRegression } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-history-'));

/** Asserts that `fn` throws a NablaError with `code` whose message contains every one of `parts`. */
function assertNablaError(fn: () => unknown, code: NablaError['code'], ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof NablaError, `expected a NablaError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of parts) assert.ok(e.message.includes(p), `message "${e.message}" lacks "${p}"`);
    return true;
  });
}

test('writeHistory then readHistory gives back the same history, tagged with its format', () => {
  for (const [name, history] of [
    ['classification', syntheticClassification()],
    ['regression', syntheticRegression()],
  ] as const) {
    const file = join(dir, `${name}.json`);
    writeHistory(file, history);
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number };
    assert.equal(raw.format, HISTORY_FORMAT);
    assert.equal(raw.version, 1);
    assert.deepEqual(readHistory(file), history);
  }
  // the atomic write leaves no temporary file behind
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('non-finite measurements survive the round trip as NaN (JSON writes them as null)', () => {
  const history = syntheticClassification({ epochs: 2 });
  history.epochs[1]!.trainCost = NaN;
  history.epochs[1]!.gradNorms[0] = Infinity;
  history.batches[0]!.cost = NaN;
  const file = join(dir, 'nan.json');
  writeHistory(file, history);
  const back = readHistory(file);
  assert.ok(Number.isNaN(back.epochs[1]!.trainCost));
  assert.ok(Number.isNaN(back.epochs[1]!.gradNorms[0]!));
  assert.ok(Number.isNaN(back.batches[0]!.cost));
  assert.equal(back.epochs[0]!.trainCost, history.epochs[0]!.trainCost);
});

test('a JSON file that is not a history: the error names the file and the missing or invalid field', () => {
  const base = JSON.parse(JSON.stringify(syntheticClassification({ epochs: 2 }))) as Record<string, unknown> & {
    meta: Record<string, unknown>;
    epochs: Record<string, unknown>[];
    final: Record<string, unknown>;
  };
  const cases: [string, (h: typeof base) => void, string, string][] = [
    ['no-sizes', (h) => delete h.meta.sizes, "'meta.sizes'", 'it is missing'],
    ['bad-task', (h) => (h.meta.task = 'clustering'), "'meta.task'", 'the string "clustering"'],
    ['bad-cost', (h) => (h.epochs[1]!.trainCost = 'low'), "'epochs[1].trainCost' should be a number", 'the string "low"'],
    ['no-epochs', (h) => Reflect.deleteProperty(h, 'epochs'), "'epochs' should be an array", 'it is missing'],
    ['bad-confusion', (h) => ((h.final.confusion as number[][])[2]![3] = 1.5), "'final.confusion[2][3]' should be an integer", 'number 1.5'],
    ['bad-shape', (h) => (h.final.imageShape = [8]), "'final.imageShape' should be [height, width]", 'an array of 1'],
    ['other-format', (h) => (h.format = 'tensorboard'), "'format'", 'tensorboard'],
  ];
  for (const [name, spoil, field, found] of cases) {
    const h = structuredClone(base);
    spoil(h);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(h));
    assertNablaError(() => readHistory(file), 'FORMAT', file, 'not a Nabla training history', field, found);
  }
  assertNablaError(() => parseHistory([1, 2, 3], 'x.json'), 'FORMAT', "x.json: not a Nabla training history: '(top level)' should be an object");
});

test('fields this version does not know pass through a read unchanged (forward compatibility)', () => {
  const history = syntheticClassification({ epochs: 2 });
  const file = join(dir, 'newer.json');
  writeFileSync(file, JSON.stringify({ ...history, meta: { ...history.meta, dropout: 0.1 }, epochs: history.epochs.map((e) => ({ ...e, gpuSeconds: 1 })), tags: ['a'] }));
  const back = readHistory(file) as History & { tags?: string[] };
  assert.equal((back.meta as unknown as { dropout: number }).dropout, 0.1);
  assert.equal((back.epochs[1] as unknown as { gpuSeconds: number }).gpuSeconds, 1);
  assert.deepEqual(back.tags, ['a']);
  assert.ok(!('format' in back) && !('version' in back));
});

test('a file that is not JSON, or is missing, is a clear error naming it', () => {
  const file = join(dir, 'model.safetensors');
  writeFileSync(file, Uint8Array.of(0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b));
  assertNablaError(() => readHistory(file), 'FORMAT', file, 'not valid JSON');
  assertNablaError(() => readHistory(join(dir, 'absent.json')), 'FILE', join(dir, 'absent.json'));
});

test('writeReport writes the HTML atomically and names the path when it cannot', () => {
  const history: History = syntheticClassification({ epochs: 2 });
  const file = join(dir, 'run.html');
  writeReport(file, history);
  const html = readFileSync(file, 'utf8');
  assert.ok(html.startsWith('<!DOCTYPE html>'));
  assert.ok(html.trimEnd().endsWith('</html>'));
  const missing = join(dir, 'no-such-folder', 'run.html');
  assertNablaError(() => writeReport(missing, history), 'FILE', missing);
});
