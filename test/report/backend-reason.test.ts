import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayDataset } from '../../src/data/array-dataset.js';
import { JsKernels } from '../../src/kernels/js.js';
import { Network } from '../../src/nn/network.js';
import { historyJson, parseHistory } from '../../src/report/history-file.js';
import { renderReport } from '../../src/report/render.js';
import { fit } from '../../src/train/fit.js';

test("a fallback's reason travels from the kernels to the history, its file and the report", async () => {
  const kernels = new JsKernels();
  kernels.reason = "the page's content security policy blocks WebAssembly (script-src needs 'wasm-unsafe-eval')"; // as selectKernels sets it
  const xor = arrayDataset([[0, 0], [0, 1], [1, 0], [1, 1]], { labels: [0, 1, 1, 0], task: 'binary' });
  const net = Network.create([2, 3, 1], { kernels, seed: 1 });
  const { history } = await fit(net, xor, { epochs: 1, batchSize: 4 });
  assert.equal(history.meta.backendReason, kernels.reason);
  const back = parseHistory(JSON.parse(historyJson(history)), 'run.json');
  assert.equal(back.meta.backendReason, kernels.reason);
  const html = renderReport(back);
  assert.ok(html.includes('data-testid="backend-reason">(the page&#39;s content security policy blocks WebAssembly (script-src needs &#39;wasm-unsafe-eval&#39;))</span>'), 'the reason, escaped, beside the thread count');
  const plain = await fit(Network.create([2, 3, 1], { seed: 1 }), xor, { epochs: 1, batchSize: 4 });
  assert.equal('backendReason' in plain.history.meta, false);
  assert.ok(!renderReport(plain.history).includes('backend-reason'));
});
