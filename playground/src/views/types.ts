import type { Dataset, Network } from './lib.js';

/** The data the page hands to the views (PLAYGROUND-CONTRACT.md). */
export interface ViewData {
  /** 'digits' | 'mnist' | 'fashion-mnist' | 'iris' | 'breast-cancer' | 'circle' | 'xor' | 'gauss' | 'spiral' | a file name */
  name: string;
  /** As the network sees them (scaled). */
  train: Dataset;
  test: Dataset;
  /** [height, width] for image sets (8x8 digits, 28x28 MNIST / Fashion-MNIST). */
  imageShape?: readonly [number, number];
  classNames?: readonly string[];
  /** The raw inputs of test sample i (pixels 0..255, or the raw features / 2-D coordinates). */
  rawTestInput(i: number): Float32Array;
  /** Maps raw inputs (as rawTestInput gives, or a drawn image in 0..255) to the network's inputs. */
  scaleInput(raw: Float32Array): Float32Array;
  /** For the 2-D sets: the raw-coordinate box the data lies in. */
  extent?: { xmin: number; xmax: number; ymin: number; ymax: number };
}

/** What `mountViews` returns to the page. */
export interface Views {
  /** Called by the page after every epoch, after a single step, on pause and when training ends, with a
   *  main-thread Network holding the current weights (same object or a new one). */
  update(net: Network): void;
  dispose(): void;
}

/** One mounted view: it redraws from the views' own copy of the network. */
export interface View {
  update(net: Network): void;
  dispose?(): void;
}

/** What every view may use besides the data. */
export interface ViewContext {
  data: ViewData;
  /** The class names (data's, else '0', '1', ...), when the task is classification. */
  classNames: readonly string[];
  /** Largest raw input value of an image set (16 for the UCI digits, 255 for MNIST): the ink of a full pixel. */
  rawMax: number;
  /** Shows test sample i in the backprop inspector (the misclassified list links to it). */
  inspect(i: number): void;
}
