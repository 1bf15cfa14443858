import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { Checks } from './checks.js';
import { reportRoster } from './group-chat.js';
import { CHANNEL, GROUP_CHAT, type PlaygroundPerson } from './people.js';
import { cards, newCards, oneLine, openConversation, say, screenshotCard, type PlaygroundSession } from './session.js';

/**
 * (c) The same group chat with one member who is not staff, and (d) a team
 * channel (the same people): everything posted there is read by everyone,
 * so `meeting new`, `profile <id>` and `list` must not show any child.
 */
export async function nonMemberChats(session: PlaygroundSession, checks: Checks, out: string, members: readonly PlaygroundPerson[], guest: PlaygroundPerson, people: ReadonlySet<string>, profiled: string | null): Promise<void> {
  const { page } = session;
  const where = `(c) group chat with ${guest.name}, who is not staff`;
  await openConversation(page, GROUP_CHAT.name);
  await reportRoster(checks, '(c)', members);
  await expectNoChild(session, checks, out, where, 'meeting new', 'guest-meeting-new.png', people, null);
  if (profiled) await expectNoChild(session, checks, out, where, `profile ${profiled}`, 'guest-profile.png', people, profiled);
  else checks.fail(`${where}: \`profile <id>\` not tried (no person id: give one on the command line)`);

  await openConversation(page, CHANNEL.name);
  await expectNoChild(session, checks, out, `(d) team channel "${CHANNEL.name}" (its team holds ${guest.name})`, 'list', 'channel-list.png', people, null);

  // A lookup may answer privately instead: anything the bot sent to this user's personal chat.
  await openConversation(page, 'Personal Chat');
  const privately = await cards(page).all();
  checks.info(`(c/d) the chair's personal chat holds ${privately.length} card(s) from the bot${privately.length ? `: ${(await Promise.all(privately.map(async (c) => `"${oneLine(await c.innerText(), 80)}"`))).join('; ')}` : ''}`);
}

async function expectNoChild(session: PlaygroundSession, checks: Checks, out: string, where: string, command: string, file: string, people: ReadonlySet<string>, typed: string | null): Promise<void> {
  const { page } = session;
  const before = await cards(page).count();
  await say(page, command, { mention: true });
  const answer = await newCards(page, before, 10_000);
  const shown = await childrenIn(answer, people, typed);
  const what = answer.length ? `"${oneLine(await answer[0]!.innerText(), 120)}"` : 'nothing in the chat';
  if (answer.length) await screenshotCard(page, answer.at(-1)!, join(out, file));
  checks.check(
    shown.length === 0,
    `${where}: \`@TFD Bot ${command}\` showed no child (answered ${answer.length} card(s): ${what}) → ${answer.length ? join(out, file) : 'no screenshot'}`,
    `${where}: \`@TFD Bot ${command}\` showed everyone in it ${shown.slice(0, 8).join(', ')}${shown.length > 8 ? ` and ${shown.length - 8} more` : ''} (${answer.length} card(s), first ${what}) → ${join(out, file)}`,
  );
}

/**
 * Which children the cards show: any person id of the TFD in their text (the
 * id typed in the command is no disclosure when echoed back), and a
 * profile's, list's or agenda's own markings.
 */
async function childrenIn(found: readonly Locator[], people: ReadonlySet<string>, typed: string | null): Promise<string[]> {
  const shown = new Set<string>();
  for (const card of found) {
    const text = await card.innerText();
    for (const token of text.split(/[^\p{L}\p{N}._:/#-]+/u)) if (token !== typed && people.has(token)) shown.add(token);
    if (typed && text.includes(`Person ${typed}`)) shown.add(`${typed} (their profile card)`);
    if (/Why this (person|child) is shown/.test(text)) shown.add('"Why this … is shown" reasons');
    if (/Weekly list|Subjects Over 18/.test(text)) shown.add('a list card');
    if (/agenda card \d+ of \d+/.test(text)) shown.add('an agenda card');
  }
  return [...shown];
}
