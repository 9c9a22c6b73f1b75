import type { Plugin } from 'esbuild';
/** esbuild plugin: `#platform` resolves to src/platform/platform-browser.ts when bundling the repository's sources for a browser. */
export declare const browserPlatform: Plugin;
