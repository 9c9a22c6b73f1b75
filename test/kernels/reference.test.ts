import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReferenceKernels } from '../../src/kernels/reference.js';
import { kernelSuite } from './suite.js';

test('reference gemmNT matches a product worked by hand', () => {
  // [1 2; 3 4] · [5 6; 7 8]ᵀ + [1, -1] = [1·5+2·6+1, 1·7+2·8−1; 3·5+4·6+1, 3·7+4·8−1] = [18 22; 40 52]
  const k = new ReferenceKernels();
  const c = new Float64Array(4);
  k.gemmNT(2, 2, 2, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c, Float64Array.of(1, -1));
  assert.deepEqual(Array.from(c), [18, 22, 40, 52]);
  // [1 2; 3 4]ᵀ · [5 6; 7 8] = [1·5+3·7, 1·6+3·8; 2·5+4·7, 2·6+4·8] = [26 30; 38 44]
  k.gemmTN(2, 2, 2, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c);
  assert.deepEqual(Array.from(c), [26, 30, 38, 44]);
  // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
  k.gemmNN(2, 2, 2, Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), c);
  assert.deepEqual(Array.from(c), [19, 22, 43, 50]);
});

kernelSuite('reference float64', () => new ReferenceKernels('float64'));
kernelSuite('reference float32', () => new ReferenceKernels('float32'));
