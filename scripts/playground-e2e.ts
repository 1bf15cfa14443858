/**
 * End to end through Microsoft's local Teams client, the Microsoft 365 Agents
 * Playground: the bot on a TFD, the Playground's web UI in Debian chromium,
 * `profile <id>` and `list` typed into its composer, the cards screenshotted.
 *
 * The Playground tries to reach a cloud metadata address on start, so run
 * this ONLY inside a loopback-only network namespace (as root):
 *
 *   unshare -n sh -c 'ip link set lo up; PLAYGROUND_CLI=/path/to/node_modules/@microsoft/m365agentsplayground/cli.js \
 *     DATABASE_URL=sqlite:./scratch.sqlite npx tsx scripts/playground-e2e.ts P00012345'
 *
 * Install the Playground outside the project (`npm install --prefix /tmp/pg
 * @microsoft/m365agentsplayground@0.2.28`). Its default user (Alex Wilber,
 * Entra object id 00000000-0000-0000-0000-0000000000020) must be in `staff`:
 * the script adds it to the scratch database as an analyst.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { startBot } from '../bot/server.js';
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/database.js';

const PLAYGROUND_USER = '00000000-0000-0000-0000-0000000000020';
const personId = process.argv[2];
const cli = process.env.PLAYGROUND_CLI;
if (!personId || !cli) {
  console.error('usage: PLAYGROUND_CLI=…/cli.js npx tsx scripts/playground-e2e.ts <person id>   (inside `unshare -n`)');
  process.exit(2);
}
const outside = Object.entries(networkInterfaces()).filter(([name, addrs]) => name !== 'lo' && (addrs ?? []).length > 0);
if (outside.length > 0) {
  console.error(`refusing to start the Playground: network interfaces other than loopback are up (${outside.map(([n]) => n).join(', ')}); run inside \`unshare -n\``);
  process.exit(2);
}

const out = join(process.cwd(), 'test-artifacts', 'playground');
mkdirSync(out, { recursive: true });
const db = await createDb({ databaseUrl: loadConfig().DATABASE_URL });
await db.db.deleteFrom('staff').where('worker_id', '=', 'PLAYGROUND-ALEX').execute();
await db.db.insertInto('staff').values({ worker_id: 'PLAYGROUND-ALEX', display_name: 'Alex Wilber (Playground)', email: null, aad_object_id: PLAYGROUND_USER, agency: 'police', role: 'analyst', school_id: null }).execute();
const bot = await startBot({ port: 3978, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true }, { db: db.db, now: () => new Date() });
const playground = spawn(process.execPath, [cli, '--disable-telemetry'], {
  env: { ...process.env, BOT_ENDPOINT: `${bot.url}/api/messages`, DEFAULT_CHANNEL_ID: 'msteams', TEAMSAPPTESTER_BROWSER: 'none' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
playground.stdout!.on('data', (d) => process.stdout.write(`[playground] ${d}`));
playground.stderr!.on('data', (d) => process.stdout.write(`[playground] ${d}`));

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  for (let i = 0; ; i++) {
    try {
      await page.goto('http://127.0.0.1:56150', { timeout: 5_000 });
      break;
    } catch (error) {
      if (i > 30) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const composer = page.locator('[data-lexical-editor=true]');
  await composer.waitFor({ timeout: 60_000 });
  for (const [text, expect, file] of [
    [`profile ${personId}`, `Person ${personId}`, 'profile.png'],
    ['list', 'CSE Risk – Subjects Over 18', 'list.png'],
  ] as const) {
    await composer.click();
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
    await page.getByText(expect, { exact: false }).last().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: join(out, file), fullPage: true });
    console.log(`ok: "${text}" answered with a card showing "${expect}" → ${join(out, file)}`);
  }
  // Selecting a person on the list sends `profile <id>` back (messageBack) and brings their card.
  const first = page.locator('.ac-selectable').filter({ hasText: /^P/ }).last();
  const picked = (await first.innerText()).trim();

  await first.click();
  await page.getByText(`Person ${picked}`).last().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1_000);
  await page.screenshot({ path: join(out, 'selected.png'), fullPage: true });
  console.log(`ok: selecting ${picked} on the list answered with their card → ${join(out, 'selected.png')}`);
} finally {
  await browser.close();
  playground.kill();
  await bot.close();
  await db.close();
}
