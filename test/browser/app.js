/* global document */
// The README's ten lines for a web page, bundled by test/browser/bundle.test.ts with esbuild, then
// four lines that hand the test what it checks.
import { Network, fit, evaluate, selectKernels, describeKernels, splitDataset, fitScaling, applyScaling } from 'nabla';
import { digits } from 'nabla/data/digits';

const kernels = await selectKernels(); // wasm on every core when the page is cross-origin isolated
const { train, test } = splitDataset(digits(), 0.2, 1);
const scaling = fitScaling(train, 'minmax');
const net = Network.create([64, 32, 10], { kernels, seed: 1 });
const { history } = await fit(net, applyScaling(train, scaling), { epochs: 15, batchSize: 32, seed: 1 });
const { accuracy } = evaluate(net, applyScaling(test, scaling));
document.body.textContent = `${describeKernels(kernels)}: test accuracy ${(100 * accuracy).toFixed(1)}%`;

import { encodeModel, networkToRecord } from 'nabla';
const forced = await selectKernels({ threads: 2 }).then(describeKernels, (e) => `${e.name}: ${e.message}`);
const model = Array.from(encodeModel(networkToRecord(net, { scaling })));
const epochMs = history.epochs.map((e) => 1000 * e.seconds);
globalThis.nablaResult = { epochMs, backend: kernels.name, threads: kernels.threads, reason: kernels.reason ?? null, accuracy, model, forced, text: document.body.textContent };
