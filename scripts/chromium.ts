import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** Flags that keep Chromium from reaching the network (it must only ever talk to loopback here). */
export const QUIET_CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Debian chromium is not installed: apt-get install chromium (.ci/run does this)');
  }
}

/** Debian's Chromium, headless and quiet, through playwright-core (tests, icons, the Playground run). */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), args: QUIET_CHROMIUM_ARGS });
