/**
 * The playground page: settings (the CLI's flags, in the URL), data, play / pause / step / reset,
 * live charts and the views. Training runs in a Web Worker (the library's worker helper); this
 * thread only draws.
 */
import { loadDroppedFiles, loadNamedData, TWO_D_NAMES, type PageData } from './data-sources.js';
import { LiveCharts } from './live-charts.js';
import {
  JsKernels,
  NablaError,
  TrainingClient,
  chooseScaling,
  createNetwork,
  datasetToTransfer,
  decodeModel,
  networkFromRecord,
  loadReportRenderer,
  scaled,
  splitForTraining,
  type Dataset,
  type History,
  type Network,
  type Scaling,
} from './nabla.js';
import { FIELDS, parseValue, queryFromSettings, settingsFromQuery, defaultPageSettings, type Field, type PageSettings } from './settings.js';
import { mountViews, type ViewData, type Views } from './views/index.js';
import { watchMainThread } from './stall-monitor.js';

type State = 'loading' | 'idle' | 'training' | 'paused' | 'done' | 'error';

const $ = <T extends HTMLElement>(testid: string): T => document.querySelector<T>(`[data-testid="${testid}"]`)!;

const stalls = watchMainThread((longest) => ($('longest-stall').textContent = `${Math.round(longest)} ms`));
const charts = new LiveCharts($('charts'));
const viewsRoot = $('views-root');
const kernels = new JsKernels();

let settings: PageSettings = defaultPageSettings();
let data: PageData | null = null;
let prepared: { train: Dataset; test: Dataset | null; scaling: Scaling } | null = null;
let dataKey = '';
let client: TrainingClient | null = null;
let views: Views | null = null;
let lastModel: Uint8Array | null = null;
let lastHistory: History | null = null;
let epochSeconds: number[] = [];
let state: State = 'loading';
let fashionAvailable = false;

function setState(s: State): void {
  state = s;
  $('state').textContent = s;
  document.body.dataset.state = s;
  const busy = s === 'loading';
  ($('play') as HTMLButtonElement).disabled = busy || s === 'training' || s === 'error';
  ($('pause') as HTMLButtonElement).disabled = s !== 'training';
  ($('step') as HTMLButtonElement).disabled = busy || s === 'training' || s === 'done' || s === 'error';
  ($('reset') as HTMLButtonElement).disabled = busy;
  ($('download-model') as HTMLButtonElement).disabled = lastModel === null;
  ($('download-report') as HTMLButtonElement).disabled = lastHistory === null;
}

function message(text: string, isError = false): void {
  const el = $('message');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

function errorText(e: unknown): string {
  return e instanceof NablaError || e instanceof Error ? e.message : String(e);
}

// ---- the form ---------------------------------------------------------------------------------

function buildForm(): void {
  const groups: Record<Field['group'], HTMLElement> = { data: $('fields-data'), network: $('fields-network'), training: $('fields-training') };
  for (const field of FIELDS) {
    const id = `f-${field.flag}`;
    const row = document.createElement('div');
    row.className = `field field-${field.kind}`;
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = field.label;
    let input: HTMLInputElement | HTMLSelectElement;
    if (field.kind === 'choice') {
      const select = document.createElement('select');
      for (const c of field.choices!) {
        const o = document.createElement('option');
        o.value = c;
        o.textContent = c === '' ? (field.placeholder ?? 'default') : c;
        if (field.flag === 'data' && c === 'fashion-mnist' && !fashionAvailable) {
          o.disabled = true;
          o.textContent = 'fashion-mnist (needs `nabla playground` and /usr/share/datasets/fashion-mnist)';
        }
        select.append(o);
      }
      input = select;
    } else {
      input = document.createElement('input');
      if (field.kind === 'bool') input.type = 'checkbox';
      else {
        input.type = 'text';
        input.inputMode = field.kind === 'int' ? 'numeric' : field.kind === 'number' || field.kind === 'fraction' ? 'decimal' : 'text';
        input.autocomplete = 'off';
        input.spellcheck = false;
        if (field.placeholder) input.placeholder = field.placeholder;
      }
    }
    input.id = id;
    input.name = field.flag;
    input.dataset.testid = `setting-${field.flag}`;
    input.addEventListener('change', () => void onSettingChanged(field, input));
    if (field.kind === 'bool') row.append(input, label);
    else row.append(label, input);
    groups[field.group].append(row);
  }
}

function fillForm(): void {
  for (const field of FIELDS) {
    const input = document.getElementById(`f-${field.flag}`) as HTMLInputElement | HTMLSelectElement;
    const v = field.get(settings);
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = v === 'true';
    else input.value = v;
    input.removeAttribute('aria-invalid');
  }
  const twoD = (TWO_D_NAMES as readonly string[]).includes(settings.data);
  for (const flag of ['samples', 'noise']) document.getElementById(`f-${flag}`)!.closest('.field')!.classList.toggle('hidden', !twoD);
}

async function onSettingChanged(field: Field, input: HTMLInputElement | HTMLSelectElement): Promise<void> {
  const text = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
  try {
    field.set(settings, parseValue(field, text));
    input.removeAttribute('aria-invalid');
  } catch (e) {
    input.setAttribute('aria-invalid', 'true');
    message(errorText(e), true);
    return;
  }
  history.replaceState(null, '', `?${queryFromSettings(settings).toString()}`);
  message(state === 'training' || state === 'paused' ? 'The new settings apply from the next run: press Reset, then Play.' : '');
  if (state !== 'training' && state !== 'paused') {
    resetRun();
    await prepareData();
  }
  fillForm();
}

// ---- data -------------------------------------------------------------------------------------

/** What decides the data themselves (not their split): the set, and for the 2-D sets their size, noise and seed. */
function dataKeyOf(s: PageSettings): string {
  return (TWO_D_NAMES as readonly string[]).includes(s.data) ? JSON.stringify([s.data, s.samples, s.noise, s.train.seed]) : s.data;
}

async function prepareData(dropped?: PageData): Promise<void> {
  const key = dataKeyOf(settings);
  try {
    if (dropped) {
      data = dropped;
      dataKey = key; // a dropped file stays until the data settings change
    } else if (!data || key !== dataKey) {
      setState('loading');
      message(`Loading ${settings.data} …`);
      data = await loadNamedData(settings.data, { samples: settings.samples, noise: settings.noise, seed: settings.train.seed }, fashionAvailable);
      dataKey = key;
    }
    const parts = splitForTraining(data.train, data.test, settings.train, data.name);
    const scaling = chooseScaling(parts.train, settings.train.scale);
    prepared = { train: scaled(parts.train, scaling, 'training data'), test: parts.test ? scaled(parts.test, scaling, 'test data') : null, scaling };
    $('data-credit').textContent = data.credit ?? '';
    $('data-summary').textContent = `${data.name}: ${prepared.train.count.toLocaleString('en-US')} training and ${(prepared.test?.count ?? 0).toLocaleString('en-US')} test samples of ${prepared.train.inputSize} inputs, ${prepared.train.task}${prepared.train.classNames ? ` (${prepared.train.classNames.length} classes)` : ''}.`;
    const net = createNetwork(settings.train, prepared.train, kernels, `the data (${data.name})`);
    mountFor(net);
    message('');
    setState('idle');
  } catch (e) {
    message(errorText(e), true);
    setState('error');
  }
}

function viewData(): ViewData {
  const { train, scaling } = prepared!;
  const test = prepared!.test ?? train;
  const rawTest = test.unscaled ?? test;
  const n = test.inputSize;
  // Image inputs as the views draw them (0..255): the 8 × 8 digits are stored as 0..16.
  let rawMax = 255;
  if (test.imageShape) {
    const probe = new Float32Array(n * Math.min(50, rawTest.count));
    rawTest.gatherInputs(Int32Array.from({ length: Math.min(50, rawTest.count) }, (_, i) => i), probe);
    rawMax = probe.reduce((m, v) => Math.max(m, v), 0) <= 16 ? 16 : 255;
  }
  const k = test.imageShape ? rawMax / 255 : 1;
  return {
    name: data!.name,
    train,
    test,
    ...(test.imageShape ? { imageShape: test.imageShape } : {}),
    ...(test.classNames ? { classNames: test.classNames } : {}),
    ...(data!.extent ? { extent: data!.extent } : {}),
    rawTestInput(i: number): Float32Array {
      const out = new Float32Array(n);
      rawTest.gatherInputs([i], out);
      if (k !== 1) for (let j = 0; j < n; j++) out[j] = out[j]! / k;
      return out;
    },
    scaleInput(raw: Float32Array): Float32Array {
      const out = new Float32Array(n);
      for (let j = 0; j < n; j++) out[j] = (raw[j]! * k - scaling.shift[j]!) * scaling.scale[j]!;
      return out;
    },
  };
}

function mountFor(net: Network): void {
  views?.dispose();
  viewsRoot.replaceChildren();
  views = mountViews(viewsRoot, viewData(), net);
}

function networkOf(model: Uint8Array): Network {
  return networkFromRecord(decodeModel(model, 'model'), kernels);
}

// ---- training ---------------------------------------------------------------------------------

function resetRun(): void {
  client?.terminate();
  client = null;
  lastModel = null;
  lastHistory = null;
  epochSeconds = [];
  charts.reset();
  $('epoch').textContent = '0';
  $('test-accuracy').textContent = '—';
  $('epoch-seconds').textContent = '—';
}

function startRun(paused: boolean): void {
  if (!data || !prepared) return;
  resetRun();
  const worker = new Worker(new URL('worker.js', document.baseURI), { type: 'module', name: 'nabla-training' });
  // Without epochs the run goes until converged (as nabla train does): show the epoch alone.
  const of = settings.train.epochs === undefined ? '' : ` / ${settings.train.epochs}`;
  const hiddenNames = (): string[] => {
    const h = settings.train.hiddenActivation;
    return typeof h === 'string' ? [h] : [...h];
  };
  client = new TrainingClient(worker, {
    onReady: (info) => {
      stalls.reset(); // from here on the run is training: the page's tasks while it does are measured
      $('backend').textContent = `${info.backend} × ${info.threads}`;
      $('backend-reason').textContent = info.reason ?? `${info.threads} threads: the page is cross-origin isolated, so the kernels share memory.`;
    },
    onBatches: (batches) => charts.addBatches(batches),
    onEpoch: (record, model) => {
      epochSeconds.push(record.seconds);
      const names = hiddenNames();
      charts.addEpoch(record, record.saturation.map((_, l) => names[l] ?? names[0]!));
      $('epoch').textContent = `${record.epoch}${of}`;
      if (record.valAccuracy !== undefined) $('test-accuracy').textContent = percent(record.valAccuracy);
      $('epoch-seconds').textContent = `${(epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length).toFixed(3)} s`;
      lastModel = model;
      views?.update(networkOf(model));
      setState(state);
    },
    onPaused: (at, model) => {
      lastModel = model;
      views?.update(networkOf(model));
      if (at) $('epoch').textContent = `${at.epoch}${of} (batch ${at.batch + 1} of ${at.batches})`;
      setState('paused');
    },
    onDone: (hist, model) => {
      lastModel = model;
      lastHistory = hist;
      if (hist.final?.accuracy !== undefined) $('test-accuracy').textContent = percent(hist.final.accuracy);
      views?.update(networkOf(model));
      message(hist.stopMessage ?? `Done: ${hist.epochs.length} epoch${hist.epochs.length === 1 ? "" : "s"} in ${hist.totalSeconds.toFixed(1)} s.`);
      setState('done');
    },
    onError: (text) => {
      message(text, true);
      setState('error');
    },
  });
  client.start({
    data: datasetToTransfer(data.train),
    test: data.test ? datasetToTransfer(data.test) : null,
    settings: settings.train,
    dataName: data.name,
    paused,
    meta: { command: `nabla playground: ?${queryFromSettings(settings).toString()}` },
  });
  setState(paused ? 'paused' : 'training');
}

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function play(): void {
  if (state === 'paused' && client) {
    client.resume();
    setState('training');
  } else if (state === 'idle' || state === 'done') {
    startRun(false);
  }
}

function step(): void {
  if (state === 'paused' && client) client.step();
  else if (state === 'idle') {
    startRun(true);
    client!.step();
  }
}

function save(bytes: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function loadModelFile(file: File): Promise<void> {
  try {
    const net = networkFromRecord(decodeModel(new Uint8Array(await file.arrayBuffer()), file.name), kernels);
    if (!prepared || prepared.train.inputSize !== net.sizes[0] || prepared.train.outputSize !== net.sizes[net.sizes.length - 1]) {
      throw new NablaError('SHAPE', `${file.name} is a ${net.architecture} network; pick a data set with ${net.sizes[0]} inputs and ${net.sizes[net.sizes.length - 1]} outputs first`);
    }
    resetRun();
    mountFor(net);
    message(`Loaded ${file.name} (${net.architecture}): the views show its weights.`);
    setState('idle');
  } catch (e) {
    message(errorText(e), true);
  }
}

// ---- start ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  setState('loading');
  try {
    const config = (await (await fetch('config.json')).json()) as { fashionMnist?: boolean };
    fashionAvailable = config.fashionMnist === true;
  } catch {
    fashionAvailable = false;
  }
  buildForm();
  const query = new URLSearchParams(location.search);
  try {
    settings = settingsFromQuery(query);
  } catch (e) {
    message(`${errorText(e)}: the defaults are used instead.`, true);
    settings = defaultPageSettings();
  }
  fillForm();
  $('backend').textContent = crossOriginIsolated ? 'wasm (starts with the first run)' : 'wasm × 1 (starts with the first run)';
  $('backend-reason').textContent = crossOriginIsolated
    ? ''
    : 'one thread: this page is not cross-origin isolated (served without Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so SharedArrayBuffer is off; `nabla playground` serves it with both.';
  $('play').addEventListener('click', play);
  $('pause').addEventListener('click', () => client?.pause());
  $('step').addEventListener('click', step);
  $('reset').addEventListener('click', () => {
    resetRun();
    void prepareData();
  });
  $('download-model').addEventListener('click', () => lastModel && save(lastModel as BlobPart, 'application/octet-stream', `nabla-${data?.name ?? 'model'}.safetensors`));
  $('download-report').addEventListener('click', () => {
    const h = lastHistory;
    if (h) {
      loadReportRenderer()
        .then(({ renderReport }) => save(renderReport(h), 'text/html', `nabla-${data?.name ?? 'run'}-report.html`))
        .catch((e: unknown) => message(errorText(e), true));
    }
  });
  $<HTMLInputElement>('load-model').addEventListener('change', (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void loadModelFile(f);
  });
  const onFiles = async (files: File[]): Promise<void> => {
    if (files.length === 0) return;
    try {
      const dropped = await loadDroppedFiles(files);
      resetRun(); // only once the files read well: a bad file leaves the run as it was
      await prepareData(dropped);
    } catch (e) {
      message(errorText(e), true);
    }
  };
  $<HTMLInputElement>('data-file').addEventListener('change', (e) => void onFiles(Array.from((e.target as HTMLInputElement).files ?? [])));
  // Keys, outside the form's fields: Space plays or pauses, S steps one mini-batch, R resets.
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey || t.closest('input, select, textarea, button, label')) return;
    const key = e.key.toLowerCase();
    if (key === ' ') {
      e.preventDefault();
      if (state === 'training') client?.pause();
      else play();
    } else if (key === 's') step();
    else if (key === 'r') $('reset').click();
  });
  document.addEventListener('dragover', (e) => e.preventDefault());
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    void onFiles(Array.from(e.dataTransfer?.files ?? []));
  });
  await prepareData();
  if (query.get('run') === '1' && state === 'idle') play();
}

void main();
(globalThis as { nablaPage?: unknown }).nablaPage = { stalls, epochSeconds: () => epochSeconds };
