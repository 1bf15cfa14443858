/**
 * End to end through Microsoft's local Teams client, the Microsoft 365 Agents
 * Playground 0.2.28: the bot on a copy of a scored SQLite TFD, the
 * Playground's web UI in Debian chromium, and four scenarios, each line of
 * output "ok: …" or "FAIL: …" (exit 1 on any FAIL):
 *   (a) an analyst's personal chat: `list`, `profile <id>`, a person selected on the list;
 *   (b) a group chat of six staff with meeting roles: `@TFD Bot meeting new`, Record → Save, Refresh;
 *   (c) the same group chat with one member who is not staff: `meeting new` and `profile <id>` must show no child;
 *   (d) a team channel of those people: `list` must not post the list.
 * Each of (a), (b) and (c+d) is a Playground started with its own
 * configuration (scripts/playground/people.ts); cards are screenshotted
 * into test-artifacts/playground/ (`--docs` also refreshes the README's).
 *
 * The Playground tries to reach a cloud metadata address on start, so this
 * runs ONLY inside a loopback-only network namespace (as root), and refuses
 * otherwise:
 *
 *   unshare -n sh -c 'ip link set lo up; PLAYGROUND_CLI=/tmp/pg/node_modules/@microsoft/m365agentsplayground/cli.js \
 *      DATABASE_URL=sqlite:./scratch/tfd.sqlite npx tsx scripts/playground-e2e.ts [person id] [--docs]'
 *
 * The TFD named is not changed: the script works on a copy, where it adds
 * the Playground's people to `staff`.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { launchChromium } from './chromium.js';
import { startBot } from '../bot/server.js';
import { loadConfig } from '../config/env.js';
import { createDb } from '../db/database.js';
import { Checks } from './playground/checks.js';
import { groupAgenda } from './playground/group-chat.js';
import { nonMemberChats } from './playground/non-member-chats.js';
import { PEOPLE, registerStaff, writePlaygroundConfig } from './playground/people.js';
import { personalChat, type ListedPeople } from './playground/personal-chat.js';
import { startPlayground, type PlaygroundSession } from './playground/session.js';

const args = process.argv.slice(2);
const updateDocs = args.includes('--docs');
const personArg = args.find((a) => !a.startsWith('--'));
const cli = process.env.PLAYGROUND_CLI;
const source = loadConfig().DATABASE_URL;
if (!cli || !source.startsWith('sqlite:')) {
  console.error('usage: PLAYGROUND_CLI=…/cli.js DATABASE_URL=sqlite:<scored TFD> npx tsx scripts/playground-e2e.ts [person id] [--docs]   (inside `unshare -n`)');
  process.exit(2);
}
const outside = Object.entries(networkInterfaces()).filter(([name, addrs]) => name !== 'lo' && (addrs ?? []).length > 0);
if (outside.length > 0) {
  console.error(`refusing to start the Playground: network interfaces other than loopback are up (${outside.map(([n]) => n).join(', ')}); run inside \`unshare -n\``);
  process.exit(2);
}

const setupStarted = Date.now();
const out = join(process.cwd(), 'test-artifacts', 'playground');
mkdirSync(out, { recursive: true });
const copy = join(out, 'playground.sqlite');
// Nothing from an earlier run is left to be mistaken for this one's.
for (const f of readdirSync(out)) if (f.endsWith('.png') || f.startsWith('playground.sqlite')) rmSync(join(out, f));
// SQLite's online backup: a consistent copy even while the source has a write-ahead log.
const original = new Sqlite(source.slice('sqlite:'.length), { readonly: true, fileMustExist: true });
await original.backup(copy);
original.close();

const db = await createDb({ databaseUrl: `sqlite:${copy}` });
await registerStaff(db.db);
const bot = await startBot({ port: 3978, appId: '', appPassword: '', tenantId: '', allowUnauthenticated: true }, { db: db.db, now: () => new Date() });
const browser = await launchChromium();
const checks = new Checks();
const { analyst, chair, caseworker1, caseworker2, caseworker3, officer, guest } = PEOPLE;

/** Starts a Playground as `me` with five others, runs a scenario, and stops it whatever happens. */
async function withPlayground<T>(name: string, me: typeof chair, others: (typeof chair)[], scenario: (s: PlaygroundSession) => Promise<T>): Promise<T | null> {
  const config = join(out, `${name}.playground.yaml`);
  writePlaygroundConfig(config, me, others);
  let session: PlaygroundSession | null = null;
  try {
    const t0 = Date.now();
    session = await startPlayground(cli!, bot.url, config, browser, join(out, `${name}-error.png`));
    const t1 = Date.now();
    const result = await scenario(session);
    checks.info(`${name}: the Playground started in ${((t1 - t0) / 1000).toFixed(1)} s; its scenario took ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    return result;
  } catch (error) {
    checks.fail(`${name}: stopped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${session ? ` (page at ${join(out, `${name}-error.png`)})` : ''}`);
    await session?.page.screenshot({ path: join(out, `${name}-error.png`) }).catch((e: unknown) => checks.info(`no error screenshot: ${String(e)}`));
    return null;
  } finally {
    await session?.stop();
  }
}

const started = Date.now();
checks.info(`the bot is up on a copy of ${source.slice('sqlite:'.length)}, ${Math.round((started - setupStarted) / 1000)} s after the start`);
try {
  const listed: ListedPeople = (await withPlayground('personal', analyst, [chair, caseworker1, caseworker2, caseworker3, officer], (s) => personalChat(s, checks, out, personArg))) ?? { ids: [], profiled: personArg ?? null };
  const staffChat = [chair, caseworker1, caseworker2, caseworker3, officer, analyst];
  await withPlayground('group', chair, staffChat.slice(1), (s) => groupAgenda(s, checks, out, staffChat));
  const guestChat = [chair, caseworker1, caseworker2, officer, analyst, guest];
  const people = new Set((await db.db.selectFrom('person').select('person_id').execute()).map((p) => p.person_id));
  await withPlayground('non-member', chair, guestChat.slice(1), (s) => nonMemberChats(s, checks, out, guestChat, guest, people, listed.profiled));
} finally {
  await browser.close();
  await bot.close();
  await db.close();
}
if (updateDocs) {
  for (const [shot, image] of [['profile.png', 'playground-profile.png'], ['group-agenda.png', 'playground-group-agenda.png']]) {
    if (!existsSync(join(out, shot))) continue;
    copyFileSync(join(out, shot), join('docs', 'images', image));
    console.log(`docs/images/${image} updated`);
  }
}
console.log(`${checks.failed === 0 ? 'all checks passed' : `${checks.failed} check(s) FAILED`} in ${Math.round((Date.now() - started) / 1000)} s; screenshots in ${out}`);
process.exit(checks.failed === 0 ? 0 : 1);
