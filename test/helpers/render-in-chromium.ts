import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
export { launchChromium } from '../../scripts/chromium.js';

const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
const MARKDOWN_IT_JS = createRequire(import.meta.url).resolve('markdown-it/dist/markdown-it.min.js');

/**
 * Renders an Adaptive Card with the adaptivecards HTML renderer in a page the
 * width of a Teams chat, screenshots it, and returns what a person reads.
 */
/** With `markdown`, TextBlock Markdown is rendered (markdown-it, links detected) as a Teams client renders it. */
export async function renderCard(browser: Browser, card: object, screenshot: string, options: { markdown?: boolean } = {}): Promise<{ text: string; height: number; tables: number; links: number; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 720, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => (route.request().url().startsWith('about:') ? route.continue() : route.abort()));
  await page.setContent('<!doctype html><html><body style="margin:0;background:#f5f5f5;font-family:Segoe UI,Helvetica,Arial,sans-serif"><div id="card" style="width:680px;margin:20px;background:#fff;border-radius:6px;box-shadow:0 1px 3px #0003"></div></body></html>');
  await page.addScriptTag({ path: ADAPTIVE_CARDS_JS });
  if (options.markdown) await page.addScriptTag({ path: MARKDOWN_IT_JS });
  await page.evaluate(([json, markdown]) => {
    type Processed = { outputHtml?: string; didProcess: boolean };
    const w = window as unknown as { AdaptiveCards: { AdaptiveCard: (new () => { parse(j: unknown): void; render(): HTMLElement }) & { onProcessMarkdown?: (text: string, result: Processed) => void } }; markdownit?: (o: object) => { renderInline(t: string): string } };
    const AC = w.AdaptiveCards;
    if (markdown && w.markdownit) {
      const md = w.markdownit({ linkify: true });
      AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
        result.outputHtml = md.renderInline(text);
        result.didProcess = true;
      };
    }
    const ac = new AC.AdaptiveCard();
    ac.parse(json);
    document.getElementById('card')!.appendChild(ac.render());
  }, [card, options.markdown === true] as const);
  const element = page.locator('#card');
  mkdirSync(dirname(screenshot), { recursive: true });
  await element.screenshot({ path: screenshot });
  const box = await element.boundingBox();
  const result = { text: await element.innerText(), height: box?.height ?? 0, tables: await page.locator('#card .ac-table, #card [role=table], #card table').count(), links: await page.locator('#card a').count(), errors };
  await page.close();
  return result;
}
