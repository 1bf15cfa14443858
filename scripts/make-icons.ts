import { readFileSync } from 'node:fs';
import { launchChromium } from './chromium.js';

/**
 * Renders manifest/icon-*.svg to the PNGs the Teams manifest names, at the
 * sizes Teams requires (192×192 colour, 32×32 outline with transparency),
 * in Debian's Chromium with networking off. Run after editing an SVG.
 */
const browser = await launchChromium();
for (const [name, size] of [['color', 192], ['outline', 32]] as const) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const svg = readFileSync(new URL(`../manifest/icon-${name}.svg`, import.meta.url), 'utf8');
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: new URL(`../manifest/${name}.png`, import.meta.url).pathname, omitBackground: true });
  console.log(`manifest/${name}.png ${size}×${size}`);
  await page.close();
}
await browser.close();
