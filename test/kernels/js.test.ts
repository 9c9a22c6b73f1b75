import { JsKernels } from '../../src/kernels/js.js';
import { kernelSuite } from './suite.js';

kernelSuite('js', () => new JsKernels());
