import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
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

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: chromiumPath(), args: QUIET_CHROMIUM_ARGS });

const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

/**
 * Renders an Adaptive Card with the adaptivecards HTML renderer in a page the
 * width of a Teams chat, screenshots it, and returns what a person reads.
 */
export async function renderCard(browser: Browser, card: object, screenshot: string): Promise<{ text: string; height: number; tables: number; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 720, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => (route.request().url().startsWith('about:') ? route.continue() : route.abort()));
  await page.setContent('<!doctype html><html><body style="margin:0;background:#f5f5f5;font-family:Segoe UI,Helvetica,Arial,sans-serif"><div id="card" style="width:680px;margin:20px;background:#fff;border-radius:6px;box-shadow:0 1px 3px #0003"></div></body></html>');
  await page.addScriptTag({ path: ADAPTIVE_CARDS_JS });
  await page.evaluate((json) => {
    const AC = (window as unknown as { AdaptiveCards: { AdaptiveCard: new () => { parse(j: unknown): void; render(): HTMLElement } } }).AdaptiveCards;
    const ac = new AC.AdaptiveCard();
    ac.parse(json);
    document.getElementById('card')!.appendChild(ac.render());
  }, card);
  const element = page.locator('#card');
  mkdirSync(dirname(screenshot), { recursive: true });
  await element.screenshot({ path: screenshot });
  const box = await element.boundingBox();
  const result = { text: await element.innerText(), height: box?.height ?? 0, tables: await page.locator('#card .ac-table, #card [role=table], #card table').count(), errors };
  await page.close();
  return result;
}
