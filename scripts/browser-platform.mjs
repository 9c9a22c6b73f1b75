// An esbuild plugin for bundling this repository's src/ (TypeScript, not the built package) for a
// browser: `#platform` is the browser file. Bundlers resolving the published package get this from
// package.json's `imports` (browser condition); inside the repository tsconfig's `paths` (which tsx
// and tsc need) would otherwise send esbuild to the Node file.
import { fileURLToPath } from 'node:url';

const browserFile = fileURLToPath(new URL('../src/platform/platform-browser.ts', import.meta.url));

/** @type {import('esbuild').Plugin} */
export const browserPlatform = {
  name: 'nabla-browser-platform',
  setup(build) {
    build.onResolve({ filter: /^#platform$/ }, () => ({ path: browserFile }));
  },
};
