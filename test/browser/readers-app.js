/* global fetch */
// The readers of bytes, the embedded data sets, model files and the report in a page (bundled by
// test/browser/bundle.test.ts): each result goes back to the test, which compares it with Node's.
import { decodeCsv, decodeIdxPair, decodeModel, encodeModel, Network, networkToRecord, fit, renderReport } from 'nabla';
import { iris } from 'nabla/data/iris';
import { breastCancer } from 'nabla/data/breast-cancer';

/** Every input row of a data set, as training gathers them, and its labels. */
function contents(ds, count = ds.count) {
  const out = new Float32Array(count * ds.inputSize);
  ds.gatherInputs(Int32Array.from({ length: count }, (_, i) => i), out);
  return { count: ds.count, inputSize: ds.inputSize, classNames: ds.classNames, labels: Array.from(ds.labels ?? []), inputs: Array.from(out) };
}

const bytes = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const csv = await decodeCsv(await bytes('/data/digits.csv.gz'), 'digits.csv.gz', { header: false, task: 'classification' });
const idx = await decodeIdxPair({ bytes: await bytes('/idx/images.gz'), name: 'images.gz' }, { bytes: await bytes('/idx/labels'), name: 'labels' });
const net = Network.create([4, 5, 3], { seed: 3 });
const { history } = await fit(net, iris(), { epochs: 2, seed: 3 });
const model = decodeModel(encodeModel(networkToRecord(net)), 'page.safetensors');
const report = renderReport(history);
globalThis.nablaResult = {
  csv: contents(csv),
  idx: contents(idx),
  iris: contents(iris()),
  breastCancer: contents(breastCancer()),
  model: { sizes: model.sizes, weights: model.weights.map((w) => Array.from(w)) },
  weights: net.layers.map((l) => Array.from(l.w)),
  report: { length: report.length, hasChart: report.includes('Chart.js v'), title: /<title>([^<]*)<\/title>/.exec(report)?.[1] ?? null },
};
