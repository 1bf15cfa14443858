import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { BOT_NAME } from './people.js';

export const PLAYGROUND_URL = 'http://127.0.0.1:56150';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One Playground process (one configuration, one current user) and the Chromium page showing it. */
export interface PlaygroundSession {
  readonly page: Page;
  stop(): Promise<void>;
}

/** Starts the Playground with a configuration and opens it; if it never shows its composer, `failedShot` gets the page. */
export async function startPlayground(cli: string, botUrl: string, configPath: string, browser: Browser, failedShot: string): Promise<PlaygroundSession> {
  const child = spawn(process.execPath, [cli, '--disable-telemetry'], {
    env: { ...process.env, BOT_ENDPOINT: `${botUrl}/api/messages`, DEFAULT_CHANNEL_ID: 'msteams', TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  child.stdout!.on('data', (d) => process.stdout.write(`[playground] ${d}`));
  child.stderr!.on('data', (d) => process.stdout.write(`[playground] ${d}`));
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const stop = async () => {
    await page.close();
    await stopProcess(child);
  };
  try {
    for (let i = 0; ; i++) {
      if (exited) throw new Error(`the Playground exited on start with ${configPath}; its log says: ${playgroundLogTail()}`);
      try {
        await page.goto(PLAYGROUND_URL, { timeout: 5_000 });
        break;
      } catch (error) {
        if (i > 40) throw error;
        await sleep(500);
      }
    }
    await page.locator('[data-lexical-editor=true]').first().waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({ path: failedShot }).catch((e: unknown) => console.log(`no screenshot of the failed start: ${String(e)}`));
    const text = await page.locator('body').innerText({ timeout: 2_000 }).catch((e: unknown) => `(unreadable: ${String(e).slice(0, 80)})`);
    await stop();
    throw new Error(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}; the page showed: ${oneLine(text, 300) || 'nothing'}; the Playground's log: ${playgroundLogTail()} (page at ${failedShot})`);
  }
  return { page, stop };
}

/** The Playground says why it stopped only in its own log (rewritten on every start): its last lines that are not debug chatter. */
function playgroundLogTail(): string {
  const log = 'devTools/m365agentsplayground.log';
  if (!existsSync(log)) return `(no ${log})`;
  return readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('debug')).slice(-5).join(' | ').slice(0, 1_000);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const killed = await Promise.race([gone.then(() => true), sleep(5_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await gone;
  }
}

/** Opens a conversation from the Playground's left rail ("Personal Chat", the group chat's or a channel's name). */
export async function openConversation(page: Page, name: string): Promise<void> {
  await page.getByText(name, { exact: true }).first().click();
  await page.locator('[data-lexical-editor=true]').first().waitFor();
  // Opening a chat sends the bot an installationUpdate and a conversationUpdate; let them land first.
  await page.waitForTimeout(1_000);
}

/**
 * Types a message into the composer and sends it. In a group chat or a
 * channel the bot hears only messages that @mention it: typing "@" opens
 * the composer's typeahead, whose first entry is the bot.
 */
export async function say(page: Page, text: string, options: { mention?: boolean } = {}): Promise<void> {
  await page.locator('[data-lexical-editor=true]').first().click();
  if (options.mention) {
    await page.keyboard.type('@');
    await page.getByRole('menuitem', { name: BOT_NAME }).click();
    await page.keyboard.type(` ${text}`);
  } else {
    await page.keyboard.type(text);
  }
  await page.keyboard.press('Enter');
}

export const cards = (page: Page): Locator => page.locator('.ac-adaptiveCard');

/**
 * The cards that arrive after `before` were shown, once no more have come for
 * 1.5 s, or none after `timeoutMs` (the bot may answer nothing, or elsewhere).
 */
export async function newCards(page: Page, before: number, timeoutMs = 20_000): Promise<Locator[]> {
  const started = Date.now();
  let count = before;
  let changedAt = Date.now();
  for (;;) {
    const now = await cards(page).count();
    if (now !== count) {
      count = now;
      changedAt = Date.now();
    }
    if (count > before && Date.now() - changedAt > 1_500) break;
    if (count === before && Date.now() - started > timeoutMs) return [];
    await sleep(200);
  }
  return Array.from({ length: count - before }, (_, i) => cards(page).nth(before + i));
}

/** How many Universal Action invokes the Playground's log panel shows answered. */
export const invokesAnswered = async (page: Page): Promise<number> => ((await page.locator('body').innerText()).match(/-> User Application invoke \d{3}/g) ?? []).length;

export async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

/**
 * Screenshots one card whole. Long cards scroll inside the chat pane, so the
 * window is made tall enough for the card first.
 */
export async function screenshotCard(page: Page, card: Locator, path: string): Promise<void> {
  const box = await card.boundingBox();
  const size = page.viewportSize() ?? { width: 1400, height: 1000 };
  if (box && box.height + 300 > size.height) await page.setViewportSize({ width: size.width, height: Math.ceil(box.height) + 300 });
  await card.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await card.screenshot({ path });
  await page.setViewportSize(size);
}

/** The first of the cards that shows `text`, or null. */
export async function cardWith(found: readonly Locator[], text: string | RegExp): Promise<Locator | null> {
  for (const card of found) {
    const shown = await card.innerText();
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return card;
  }
  return null;
}

export const oneLine = (text: string, max = 240): string => text.replace(/\s+/g, ' ').trim().slice(0, max);

/** The members the Playground's connector gives a bot that reads the conversation's roster (TeamsInfo.getPagedMembers). */
export async function rosterOf(conversationId: string): Promise<{ name: string; aadObjectId: string }[]> {
  const answer = await fetch(`${PLAYGROUND_URL}/_connector/v3/conversations/${encodeURIComponent(conversationId)}/pagedmembers`);
  if (!answer.ok) throw new Error(`the Playground's roster read answered HTTP ${answer.status}`);
  return ((await answer.json()) as { members: { name: string; aadObjectId: string }[] }).members;
}
