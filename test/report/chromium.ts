import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH points elsewhere on a developer's machine. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium with a fresh profile in `profileDir`, with the flags that keep it from
 * reaching out on its own (background networking, component updates, sync, QUIC) so that every
 * request the page makes is the page's. Throws a message that says how to install Chromium when
 * it is missing.
 */
export async function launchChromium(profileDir: string, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The HTML report's browser check needs Chromium at ${CHROMIUM}, which is not there.\n` +
        `Install it with:  apt-get update && apt-get install -y chromium   (.ci/run does this in CI),\n` +
        `or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport,
  });
}
