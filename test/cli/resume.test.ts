import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckpointFile } from '../../src/io/checkpoint-file.js';
import { readModelFile } from '../../src/io/model-file.js';
import type { History } from '../../src/train/history.js';
import { nabla, repo, tempDir } from './run-cli.js';

/**
 * Never lose a run: `nabla train` killed with SIGKILL at many points (mid-epoch, at an epoch's
 * edge, halfway through writing a checkpoint or the model) and resumed with `--resume` ends with
 * the same model bytes and the same history (but for wall-clock fields) as the run never stopped.
 */

const tsx = import.meta.resolve('tsx');
const killer = join(repo, 'test', 'cli', 'train-killer.ts');
const files = ['--out', 'm.safetensors', '--history', 'h.json', '--no-report'];
const resume = ['train', '--resume', 'm.ckpt.safetensors'];

/** Runs `nabla <args>` in `cwd` and kills it with SIGKILL at `point` (see train-killer.ts). */
function killAt(point: string, args: string[], cwd: string): void {
  const r = spawnSync(process.execPath, ['--import', tsx, killer, point, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: 'true' } });
  assert.equal(r.signal, 'SIGKILL', `killed at ${point} (status ${r.status}, stdout ${r.stdout.slice(-300)}, stderr ${r.stderr.slice(-300)})`);
}

/** The run's model bytes and its history without the wall-clock fields. */
function results(dir: string): { model: Buffer; history: unknown } {
  const text = readFileSync(join(dir, 'h.json'), 'utf8');
  return {
    model: readFileSync(join(dir, 'm.safetensors')),
    history: JSON.parse(text, (key, value: unknown) => (['seconds', 'totalSeconds', 'startedAt'].includes(key) ? undefined : value)),
  };
}

function resumeAndCompare(dir: string, expected: { model: Buffer; history: unknown }, label: string): void {
  const r = nabla(resume, dir);
  assert.equal(r.status, 0, `${label}: resume failed: ${r.stderr}`);
  assert.match(r.stdout, /Resuming from m\.ckpt\.safetensors: epoch \d+, \d+ batches of it done, \d+ steps in all/);
  const got = results(dir);
  assert.ok(got.model.equals(expected.model), `${label}: the model bytes differ from the uninterrupted run's`);
  assert.deepEqual(got.history, expected.history, `${label}: the history differs`);
}

/** Kills a run at each point (a list of points: kill, resume and kill again, ...), resumes it to the end, and compares. */
function killAndResumeAll(args: string[], points: string[][]): History {
  const refDir = tempDir();
  const ref = nabla(args, refDir);
  assert.equal(ref.status, 0, ref.stderr);
  const expected = results(refDir);
  for (const chain of points) {
    const dir = tempDir();
    chain.forEach((point, i) => killAt(point, i === 0 ? args : resume, dir));
    assert.ok(existsSync(join(dir, 'm.ckpt.safetensors')), `a checkpoint was written before ${chain.join(' then ')}`);
    if (chain.some((p) => p.startsWith('write:'))) {
      assert.ok(readdirSync(dir).some((f) => f.endsWith('.tmp')), 'the killed checkpoint write left its temporary file, not a half checkpoint');
    }
    resumeAndCompare(dir, expected, `killed at ${chain.join(' then ')}`);
  }
  return JSON.parse(readFileSync(join(refDir, 'h.json'), 'utf8')) as History;
}

test('SIGKILL at 12 points of a run, each resumed: the same model bytes and history as the run never killed', () => {
  // digits, 1,438 training samples in batches of 100: 15 steps an epoch, 60 in all; a checkpoint every 7 steps and at each epoch's end.
  const args = ['train', '--data', 'digits', '--layers', '16', '--epochs', '4', '--batch', '100', '--checkpoint-every', '7', ...files];
  const points = [
    ['step:9'], // mid-epoch, after the checkpoint at step 7
    ['step:15'], // the last step of epoch 1, before its end
    ['step:16'], // the first of epoch 2, just after the epoch-end checkpoint
    ['step:29'],
    ['step:38'],
    ['step:52'],
    ['step:60'], // the very last step
    ['write:2'], // halfway through writing the 2nd checkpoint (step 14): resumes from step 7
    ['write:6'],
    ['model:1'], // halfway through writing the model at the end: resumes from the final checkpoint
    ['step:20', 'step:12'], // killed, resumed, killed again (at step 15 + 12 = 27), resumed
    ['write:3', 'write:2'],
  ];
  const history = killAndResumeAll(args, points);
  assert.equal(history.epochs.length, 4);
  assert.equal(history.stopReason, 'completed');
});

test('the same with dropout, a schedule, clipping, reduce-on-plateau and early stopping', () => {
  const args = [
    'train', '--data', 'digits', '--layers', '16', '--epochs', '12', '--batch', '100', '--lr', '0.05', '--schedule', 'warmup:5+cosine:150',
    '--dropout', '0.2', '--clip-norm', '1', '--reduce-on-plateau', '1', '--early-stop', '3', '--checkpoint-every', '11', ...files,
  ];
  const points = [['step:12'], ['step:30'], ['step:46'], ['step:61'], ['step:77'], ['step:100'], ['step:105'], ['step:120'], ['write:3'], ['write:9']];
  const history = killAndResumeAll(args, points);
  // Early stopping ended it after epoch 8 (best epoch 5), and reduce-on-plateau had cut the rate (patience 1: after epochs 6 and 7).
  assert.equal(history.stopReason, 'early-stopping');
  assert.equal(history.epochs.length, 8);
  assert.equal(history.bestEpoch, 5);
  const [e7, e8] = [history.epochs[6]!, history.epochs[7]!];
  assert.ok(e8.lr < e7.lr / 5, `reduce-on-plateau multiplied the rate by 0.1: ${e7.lr} → ${e8.lr}`);
});

/** Starts `nabla train`, sends the first of `signals` once the first epoch is reported and the rest once it is heard, and resolves with the exit status and output. */
function interrupt(args: string[], cwd: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, join(repo, 'src', 'cli', 'run.ts'), ...args], { cwd, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!sent && /Epoch +1:/.test(stdout)) {
        sent = true;
        child.kill(signals[0]);
      }
    });
    // Any further signal once the first was heard: sent together, Linux would deliver the lower-numbered first.
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (signals.length > 1 && /stopping after this step/.test(stderr)) for (const signal of signals.splice(1)) child.kill(signal);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('Ctrl-C stops after the step, saves checkpoint, model, history and report marked interrupted, exits 130; the printed command finishes the run identically', async () => {
  // About 3 s of training (25 epochs of 360 steps): the signal arrives mid-run, in epoch 2.
  const args = ['train', '--data', 'digits', '--layers', '128/64', '--epochs', '25', '--batch', '4', ...files.slice(0, 4), '--report', 'm.html'];
  const dir = tempDir();
  const run = await interrupt(args, dir, ['SIGINT']);
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /SIGINT: stopping after this step/);
  const printed = /resume with:\n {2}(nabla train --resume m\.ckpt\.safetensors)\n/.exec(run.stderr);
  assert.ok(printed, `the command that resumes is printed: ${run.stderr}`);

  const { state } = readCheckpointFile(join(dir, 'm.ckpt.safetensors'));
  const model = readModelFile(join(dir, 'm.safetensors'));
  assert.equal(model.interruptedAfterSteps, state.optimizer.step, 'the model says it was interrupted, and after how many steps');
  assert.ok(state.optimizer.step > 0 && state.epoch < 25 && !state.finished, `stopped at step ${state.optimizer.step}, epoch ${state.epoch}`);
  const history = JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as History;
  assert.equal(history.stopReason, 'interrupted');
  assert.match(history.stopMessage!, new RegExp(`interrupted \\(SIGINT\\) after ${state.optimizer.step} steps`));
  assert.match(readFileSync(join(dir, 'm.html'), 'utf8'), /stopped after \d+ of 25 epochs: interrupted/);

  const refDir = tempDir();
  assert.equal(nabla(args, refDir).status, 0);
  const r = nabla(printed[1]!.split(' ').slice(1), dir);
  assert.equal(r.status, 0, r.stderr);
  const [got, expected] = [results(dir), results(refDir)];
  assert.ok(got.model.equals(expected.model), 'the resumed model has the bytes of the uninterrupted one');
  assert.deepEqual(got.history, expected.history);
  assert.equal(readModelFile(join(dir, 'm.safetensors')).interruptedAfterSteps, undefined);
});

test('SIGTERM is heard the same way, and a second signal exits at once with 130, every file left whole', async () => {
  const dir = tempDir();
  const run = await interrupt(['train', '--data', 'digits', '--layers', '128/64', '--epochs', '25', '--batch', '4', ...files], dir, ['SIGTERM', 'SIGINT']);
  assert.equal(run.code, 130);
  assert.match(run.stderr, /SIGTERM: stopping after this step/);
  for (const f of readdirSync(dir).filter((f) => !f.endsWith('.tmp'))) {
    if (f === 'm.ckpt.safetensors') readCheckpointFile(join(dir, f));
    if (f === 'm.safetensors') readModelFile(join(dir, f));
    if (f === 'h.json') JSON.parse(readFileSync(join(dir, f), 'utf8'));
  }
});

test('resuming with a setting that changes the result names it; --epochs may be raised', () => {
  const dir = tempDir();
  const args = ['train', '--data', 'digits', '--layers', '16', '--epochs', '2', '--batch', '100', ...files];
  assert.equal(nabla(args, dir).status, 0);
  const r = nabla([...resume, '--lr', '0.01'], dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^nabla: --resume m\.ckpt\.safetensors: --lr 0\.01 differs from the run's default; a resumed run keeps the settings it started with/);
  const other = nabla([...resume, '--data', 'iris'], dir);
  assert.equal(other.status, 2);
  assert.match(other.stderr, /--data iris differs from the run's --data digits/);
  const nowhere = nabla([...args, '--checkpoint', 'no/such/folder/run.ckpt'], dir);
  assert.equal(nowhere.status, 2);
  assert.match(nowhere.stderr, /^nabla: --checkpoint no\/such\/folder\/run\.ckpt: no such folder /);
  assert.doesNotMatch(nowhere.stdout, /Epoch/, 'found before training');
  const longer = nabla([...resume, '--epochs', '3'], dir);
  assert.equal(longer.status, 0, longer.stderr);
  assert.equal((JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as History).epochs.length, 3);
});

test('resuming after the data file changed is an error naming the data', () => {
  const dir = tempDir();
  const rows = (flip: number): string =>
    ['x,y,label', ...Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 3) % 5},${(i + (i === flip ? 1 : 0)) % 2}`)].join('\n') + '\n';
  writeFileSync(join(dir, 'd.csv'), rows(-1));
  assert.equal(nabla(['train', '--data', 'd.csv', '--layers', '4', '--epochs', '2', ...files], dir).status, 0);
  writeFileSync(join(dir, 'd.csv'), rows(10)); // one label changed
  const r = nabla(resume, dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^nabla: cannot resume: the training data differ from the checkpoint's \(train\.fingerprint: "[0-9a-f]{16}" in the checkpoint, "[0-9a-f]{16}" now\)/);
});
