/**
 * The training defaults, in one place: `nabla train`'s flag defaults and the playground's form
 * both read them, so a run with no flags and a page with no settings train the same network.
 */
export const TRAIN_DEFAULTS = {
  data: 'digits',
  /** Fraction held out as the test set when the data has no test split of its own. */
  split: 0.2,
  seed: 1,
  shuffle: true,
  /** Hidden sizes when `--layers` is not given: N0/100/NL. */
  hiddenLayers: [100] as readonly number[],
  hiddenActivation: 'relu',
  optimizer: 'adam',
  batch: 32,
  scale: 'auto',
} as const;
