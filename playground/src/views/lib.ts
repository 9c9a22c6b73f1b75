/**
 * What the views use from the library. The page's own imports go through `../nabla.ts` (the
 * playground's one door to the library); the views keep theirs here so the two never collide.
 */
export { JsKernels, Network, pairOutput, predictedClass, yieldToEventLoop, type Dataset, type Floats } from '../../../src/index.js';
