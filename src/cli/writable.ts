import * as fs from 'node:fs';
import * as path from 'node:path';
import { NablaError } from '../errors.js';
import { fileErrorReason } from '../io/files.js';

/** A path the command will write or read, with the flag that named it (for messages). */
export interface LabelledPath {
  flag: string;
  path: string;
}

/** The absolute path with symbolic links resolved where the file exists, for comparing two names of one file. */
function identity(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * Checks, before any work starts, that every output can be written: it is not a folder, its
 * folder exists and takes a new file (a probe file is created there and removed), an existing
 * file is not read-only, no two outputs are the same file, and no output is one of the `inputs`
 * (a user's data is never overwritten). Throws NablaError('FILE') or ('ARGUMENT') naming the flag.
 *
 * @example
 * checkWritable([{ flag: '--out', path: 'model.safetensors' }, { flag: '--report', path: 'model.html' }], [{ flag: '--data', path: 'iris.csv' }]);
 */
export function checkWritable(outputs: readonly LabelledPath[], inputs: readonly LabelledPath[] = []): void {
  const seen = new Map<string, string>();
  for (const input of inputs) seen.set(identity(input.path), input.flag);
  for (const { flag, path: file } of outputs) {
    const key = identity(file);
    const other = seen.get(key);
    if (other !== undefined) {
      const isInput = inputs.some((i) => i.flag === other);
      throw new NablaError('ARGUMENT', `${flag} ${file} is also ${isInput ? `the ${other} file: writing it would replace that input` : `given to ${other}: give each output its own file`}`);
    }
    seen.set(key, flag);
    checkOneWritable(flag, file);
  }
}

function checkOneWritable(flag: string, file: string): void {
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats | null = null;
  try {
    stat = fs.statSync(file);
  } catch {
    // a new file: its folder is checked below
  }
  if (stat?.isDirectory() || /[\\/]$/.test(file)) throw new NablaError('FILE', `${flag} ${file}: it is a folder, expected a file name`);
  if (stat) {
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      throw new NablaError('FILE', `${flag} ${file}: the file is read-only; Nabla does not replace it`);
    }
  }
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch {
    throw new NablaError('FILE', `${flag} ${file}: no such folder ${dir}`);
  }
  if (!folder.isDirectory()) throw new NablaError('FILE', `${flag} ${file}: ${dir} is not a folder`);
  // The only test that holds for ACLs, read-only mounts and full disks alike: create a file there.
  const probe = path.join(dir, `.nabla-probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx'));
  } catch (e) {
    // The folder exists (stat above), so ENOENT here means it takes no new files (/proc, say).
    const reason = (e as { code?: string }).code === 'ENOENT' ? 'the folder takes no new files' : fileErrorReason('write', e);
    throw new NablaError('FILE', `${flag} ${file}: cannot create a file in ${dir}: ${reason}`);
  }
  fs.unlinkSync(probe);
}
