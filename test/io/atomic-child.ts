// Run by model-file.test.ts as a child process: saves a model over argv[2] and kills itself with
// SIGKILL after the first chunk of the temporary file is written, as a crash or `kill -9` would.
import * as fs from 'node:fs';
import { nodeAtomicIo } from '../../src/io/files.js';
import { writeModelFile } from '../../src/io/model-file.js';

const file = process.argv[2]!;
const sizes = [784, 400, 10];
let writes = 0;
writeModelFile(
  file,
  {
    sizes,
    hidden: 'relu',
    output: 'softmax',
    cost: 'cross-entropy',
    weights: [new Float32Array(400 * 784).fill(7), new Float32Array(10 * 400).fill(7)],
    biases: [new Float32Array(400), new Float32Array(10)],
  },
  {
    ...nodeAtomicIo,
    writeSync: (fd, data, offset, length) => {
      if (writes++ === 1) process.kill(process.pid, 'SIGKILL');
      return fs.writeSync(fd, data, offset, length);
    },
  },
);
console.log('not killed');
