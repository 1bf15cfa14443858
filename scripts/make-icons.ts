import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';

/**
 * Renders manifest/icon-*.svg to the PNGs the Teams manifest names, at the
 * sizes Teams requires (192×192 colour, 32×32 outline with transparency),
 * in Debian's Chromium with networking off. Run after editing an SVG.
 */
const executablePath = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
for (const [name, size] of [['color', 192], ['outline', 32]] as const) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const svg = readFileSync(new URL(`../manifest/icon-${name}.svg`, import.meta.url), 'utf8');
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: new URL(`../manifest/${name}.png`, import.meta.url).pathname, omitBackground: true });
  console.log(`manifest/${name}.png ${size}×${size}`);
  await page.close();
}
await browser.close();
