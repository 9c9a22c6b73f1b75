import * as fs from 'node:fs';
import * as path from 'node:path';
import { NablaError } from '../errors.js';

/**
 * Throws NablaError('FILE') naming the flag and the path unless `file` can be written: its folder
 * exists and is writable, and it is not itself a folder. Checked before training, so a long run
 * is not lost to a typo in a path.
 *
 * @example
 * checkWritable('runs/model.ckpt.safetensors', '--checkpoint');
 */
export function checkWritable(file: string, flag: string): void {
  const dir = path.dirname(path.resolve(file));
  const fail = (why: string): never => {
    throw new NablaError('FILE', `${flag} ${file}: cannot write there: ${why}`);
  };
  let folder: fs.Stats;
  try {
    folder = fs.statSync(dir);
  } catch {
    return fail(`no such folder ${dir}`);
  }
  if (!folder.isDirectory()) fail(`${dir} is not a folder`);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    fail(`permission denied in ${dir}`);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) fail('it is a folder');
}
