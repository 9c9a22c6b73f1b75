/** Colour maps of the views: a diverging blue–white–red map for signed values, and a class palette. */

type Rgb = readonly [number, number, number];

const NEGATIVE: Rgb = [33, 102, 172];
const ZERO: Rgb = [247, 247, 247];
const POSITIVE: Rgb = [178, 24, 43];

/** Diverging map of t ∈ [−1, 1]: −1 blue, 0 white, +1 red (ColorBrewer RdBu's ends), linear between. */
export function diverging(t: number): Rgb {
  const u = Math.max(-1, Math.min(1, Number.isFinite(t) ? t : 0));
  const end = u < 0 ? NEGATIVE : POSITIVE;
  const s = Math.abs(u);
  return [ZERO[0] + (end[0] - ZERO[0]) * s, ZERO[1] + (end[1] - ZERO[1]) * s, ZERO[2] + (end[2] - ZERO[2]) * s];
}

/** Tableau 10: distinct classes, readable on white. */
const PALETTE: readonly Rgb[] = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

/** The colour of class k. */
export function classColour(k: number): Rgb {
  return PALETTE[k % PALETTE.length]!;
}

/** CSS `rgb(...)` of a colour. */
export function css(c: Rgb): string {
  return `rgb(${Math.round(c[0])} ${Math.round(c[1])} ${Math.round(c[2])})`;
}
