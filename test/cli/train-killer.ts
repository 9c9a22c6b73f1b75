// Run by resume.test.ts as a child process: runs `nabla train <args>` in this process and kills it
// with SIGKILL, as a crash or `kill -9` would, at the point named by argv[2]:
//   step:N    during the N-th training step, after its backward pass and before its update;
//   write:N   halfway through writing the N-th checkpoint (its temporary file half written);
//   model:N   halfway through writing the model file (--out) for the N-th time.
import * as fs from 'node:fs';
import { main } from '../../src/cli/main.js';
import { nodeAtomicIo } from '../../src/io/files.js';
import { Network } from '../../src/nn/network.js';

const [point = '', ...args] = process.argv.slice(2);
const [kind, count] = [point.split(':')[0], Number(point.split(':')[1])];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

if (kind === 'step') {
  const backward = Network.prototype.backwardBatch;
  let steps = 0;
  Network.prototype.backwardBatch = function (this: Network, ...args: Parameters<Network['backwardBatch']>): number {
    const cost = backward.apply(this, args);
    if (++steps === count) die();
    return cost;
  };
} else {
  // Temporary files of atomic writes are named .<file>.<pid>.<time>.tmp: pick the ones of the checkpoint or the model.
  const target = kind === 'write' ? /\.ckpt\.safetensors\./ : /^\.m\.safetensors\./;
  const watched = new Set<number>();
  let opened = 0;
  const { openSync, writeSync } = nodeAtomicIo;
  nodeAtomicIo.openSync = (file, flags, mode) => {
    const fd = openSync(file, flags, mode);
    if (target.test(file.split('/').pop()!) && ++opened === count) watched.add(fd);
    return fd;
  };
  nodeAtomicIo.writeSync = (fd, data, offset, length) => {
    if (!watched.has(fd)) return writeSync(fd, data, offset, length);
    fs.writeSync(fd, data, offset, Math.floor(length / 2));
    fs.fsyncSync(fd);
    return die();
  };
}
process.argv = [process.argv[0]!, 'nabla', ...args];
await main(process.argv);
console.log(`not killed at ${point}`);
