/**
 * The page's settings, named as `nabla train`'s flags, in the URL (`?data=digits&layers=64/32/10&lr=0.01&run=1`)
 * and in the form. Defaults are the CLI's (the shared TRAIN_DEFAULTS): a field left empty is the flag left out.
 */
import {
  CONVERGENCE,
  SCALING_KINDS,
  TRAIN_DEFAULTS,
  activationNames,
  costNames,
  defaultSettings,
  initNames,
  optimizerNames,
  outputNames,
  type TrainSettings,
} from './nabla.js';
import { DATA_NAMES } from './data-sources.js';

export interface PageSettings {
  data: string;
  /** 2-D sets: number of points and noise (fraction of the radius). */
  samples: number;
  noise: number;
  train: TrainSettings;
}

type Kind = 'int' | 'number' | 'fraction' | 'layers' | 'activations' | 'choice' | 'text' | 'bool';

/** One setting: its flag name (URL parameter and form field), how it is read, and where it goes. */
export interface Field {
  flag: string;
  label: string;
  kind: Kind;
  group: 'data' | 'network' | 'training';
  choices?: readonly string[];
  /** What an empty field means (the CLI's default), shown as the placeholder. */
  placeholder?: string;
  help?: string;
  get(s: PageSettings): string;
  set(s: PageSettings, value: unknown): void;
}

const t = (key: keyof TrainSettings) => ({
  get: (s: PageSettings) => {
    const v = s.train[key];
    if (v === undefined) return '';
    if (typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return v.join(key === 'layers' ? '/' : ',');
    return String(v);
  },
  set: (s: PageSettings, v: unknown) => {
    if (v === undefined) delete (s.train as unknown as Record<string, unknown>)[key];
    else (s.train as unknown as Record<string, unknown>)[key] = v;
  },
});

export const FIELDS: readonly Field[] = [
  { flag: 'data', label: 'Data set', kind: 'choice', group: 'data', choices: DATA_NAMES, get: (s) => s.data, set: (s, v) => void (s.data = String(v)) },
  { flag: 'samples', label: 'Points (2-D sets)', kind: 'int', group: 'data', get: (s) => String(s.samples), set: (s, v) => void (s.samples = Number(v ?? 400)) },
  { flag: 'noise', label: 'Noise (2-D sets)', kind: 'fraction', group: 'data', get: (s) => String(s.noise), set: (s, v) => void (s.noise = Number(v ?? 0.1)) },
  { flag: 'split', label: 'Test fraction held out', kind: 'fraction', group: 'data', placeholder: String(TRAIN_DEFAULTS.split), ...t('split') },
  { flag: 'scale', label: 'Input scaling', kind: 'choice', group: 'data', choices: ['auto', ...SCALING_KINDS], ...t('scale') },
  { flag: 'layers', label: 'Layers (N0/…/NL or hidden sizes)', kind: 'layers', group: 'network', placeholder: `N0/${TRAIN_DEFAULTS.hiddenLayers.join('/')}/NL`, ...t('layers') },
  {
    flag: 'hidden-activation',
    label: 'Hidden activation (one, or one per layer: relu,tanh)',
    kind: 'activations',
    group: 'network',
    choices: activationNames,
    ...t('hiddenActivation'),
  },
  { flag: 'output-activation', label: 'Output activation', kind: 'choice', group: 'network', choices: ['', ...outputNames], placeholder: 'from task', ...t('outputActivation') },
  { flag: 'cost', label: 'Cost', kind: 'choice', group: 'network', choices: ['', ...costNames], placeholder: 'from output', ...t('cost') },
  { flag: 'weight-init', label: 'Weight initialisation', kind: 'choice', group: 'network', choices: ['', ...initNames], placeholder: 'He / Glorot', ...t('weightInit') },
  { flag: 'leaky-slope', label: 'Leaky ReLU slope', kind: 'number', group: 'network', placeholder: '0.01', ...t('leakySlope') },
  { flag: 'seed', label: 'Seed', kind: 'int', group: 'network', ...t('seed') },
  { flag: 'optimizer', label: 'Optimizer', kind: 'choice', group: 'training', choices: optimizerNames, ...t('optimizer') },
  { flag: 'lr', label: 'Learning rate', kind: 'number', group: 'training', placeholder: 'PyTorch’s', ...t('lr') },
  { flag: 'momentum', label: 'Momentum', kind: 'number', group: 'training', placeholder: '0.9 / 0', ...t('momentum') },
  { flag: 'weight-decay', label: 'Weight decay', kind: 'number', group: 'training', placeholder: '0', ...t('weightDecay') },
  { flag: 'schedule', label: 'Schedule', kind: 'text', group: 'training', placeholder: 'constant; e.g. cosine:1000, step:500:0.5', ...t('schedule') },
  { flag: 'batch', label: 'Batch size', kind: 'int', group: 'training', ...t('batch') },
  { flag: 'epochs', label: 'Epochs', kind: 'int', group: 'training', placeholder: 'until converged', ...t('epochs') },
  { flag: 'max-steps', label: 'Step budget (no epochs given)', kind: 'int', group: 'training', placeholder: String(CONVERGENCE.maxSteps), ...t('maxSteps') },
  { flag: 'dropout', label: 'Dropout rate', kind: 'fraction', group: 'training', placeholder: 'off', ...t('dropout') },
  { flag: 'clip-norm', label: 'Clip gradient norm', kind: 'number', group: 'training', placeholder: 'off', ...t('clipNorm') },
  { flag: 'clip-value', label: 'Clip gradient values', kind: 'number', group: 'training', placeholder: 'off', ...t('clipValue') },
  { flag: 'early-stop', label: 'Early stop patience', kind: 'int', group: 'training', placeholder: 'off', ...t('earlyStop') },
  { flag: 'reduce-on-plateau', label: 'Reduce LR on plateau patience', kind: 'int', group: 'training', placeholder: 'off', ...t('reduceOnPlateau') },
  { flag: 'shuffle', label: 'Reshuffle every epoch', kind: 'bool', group: 'training', ...t('shuffle') },
];

export function defaultPageSettings(): PageSettings {
  return { data: TRAIN_DEFAULTS.data, samples: 400, noise: 0.1, train: defaultSettings() };
}

/**
 * Reads one value as its field's kind; '' is the flag left out (undefined). Throws a one-line
 * message naming the flag and what was expected.
 */
export function parseValue(field: Field, text: string): unknown {
  const v = text.trim();
  const bad = (what: string): never => {
    throw new Error(`${field.flag} = '${text}': expected ${what}`);
  };
  if (field.kind === 'bool') return !(v === '0' || v === 'false' || v === 'no');
  if (v === '') return undefined;
  switch (field.kind) {
    case 'int': {
      const n = Number(v);
      if (!/^\d+$/.test(v) || (n < 1 && field.flag !== 'seed')) bad(field.flag === 'seed' ? 'a whole number ≥ 0' : 'a whole number ≥ 1');
      return n;
    }
    case 'number': {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || (n === 0 && ['lr', 'clip-norm', 'clip-value'].includes(field.flag))) bad('a positive number');
      return n;
    }
    case 'fraction': {
      const n = Number(v);
      if (!(n >= 0 && n < 1)) bad('a fraction in [0, 1)');
      return n;
    }
    case 'layers': {
      const parts = v.split('/').map((p) => p.trim());
      if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1)) bad('sizes like 64/32/10 (positive whole numbers separated by /)');
      return parts.map(Number);
    }
    case 'activations': {
      const names = v.split(',').map((p) => p.trim());
      for (const n of names) if (!field.choices!.includes(n)) bad(`one of ${field.choices!.join(', ')} (or one per hidden layer, comma-separated)`);
      return names.length === 1 ? names[0] : names;
    }
    case 'choice':
      if (!field.choices!.includes(v)) bad(`one of ${field.choices!.filter(Boolean).join(', ')}`);
      return v;
    default:
      return v;
  }
}

/** The settings a URL's query gives (unknown parameters are ignored; bad values throw). */
export function settingsFromQuery(query: URLSearchParams): PageSettings {
  const s = defaultPageSettings();
  for (const field of FIELDS) {
    const text = query.get(field.flag);
    if (text !== null) field.set(s, parseValue(field, text));
  }
  return s;
}

/** The query that gives these settings: only what differs from the defaults, so links stay short. */
export function queryFromSettings(s: PageSettings): URLSearchParams {
  const d = defaultPageSettings();
  const q = new URLSearchParams();
  for (const field of FIELDS) {
    const v = field.get(s);
    if (v !== field.get(d)) q.set(field.flag, field.kind === 'bool' ? (v === 'true' ? '1' : '0') : v);
  }
  return q;
}
