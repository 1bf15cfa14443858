import { join } from 'node:path';
import type { Checks } from './checks.js';
import { GROUP_CHAT, type PlaygroundPerson } from './people.js';
import { cardWith, cards, invokesAnswered, newCards, oneLine, openConversation, rosterOf, say, screenshotCard, waitFor, type PlaygroundSession } from './session.js';

/**
 * (b) The meeting's group chat, every member staff with a meeting role: the
 * chair's `@TFD Bot meeting new` posts the agenda; Record and Save on an
 * agenda card record an outcome (a Universal Action, the card replaced for
 * everyone); Refresh shows it again.
 */
export async function groupAgenda(session: PlaygroundSession, checks: Checks, out: string, members: readonly PlaygroundPerson[]): Promise<void> {
  const { page } = session;
  await openConversation(page, GROUP_CHAT.name);
  await reportRoster(checks, '(b)', members);

  const before = await cards(page).count();
  await say(page, 'meeting new', { mention: true });
  const posted = await newCards(page, before);
  const header = await cardWith(posted, /^(?![\s\S]*agenda card \d+ of \d+)[\s\S]*meeting/i);
  const firstPage = page.locator('.ac-adaptiveCard').filter({ hasText: /agenda card 1 of \d+/ }).last();
  const pages = (await Promise.all(posted.map((c) => c.innerText()))).filter((t) => /agenda card \d+ of \d+/.test(t)).length;
  if (!checks.check(header !== null && pages > 0, `(b) group chat of ${members.length} staff: \`@TFD Bot meeting new\` posted the agenda's header and ${pages} agenda card(s)`, `(b) group chat of ${members.length} staff: \`meeting new\` did not post the agenda; it showed: ${oneLine((await Promise.all(posted.map((c) => c.innerText()))).join(' | ')) || 'nothing'}`)) return;
  await screenshotCard(page, header!, join(out, 'group-agenda-header.png'));

  // Record: the form opens under the card's items; RAG and Decision are Fluent comboboxes (click, then pick an option).
  await firstPage.getByRole('button', { name: /^Record\b/ }).first().click();
  const decision = firstPage.getByRole('combobox', { name: /^Decision/ });
  await decision.waitFor({ timeout: 10_000 });
  for (const field of [firstPage.getByRole('combobox', { name: /^RAG/ }), decision]) {
    if ((await field.count()) === 0) continue;
    await field.click();
    await page.getByRole('option').first().click();
  }
  const invokes = await invokesAnswered(page);
  await firstPage.getByRole('button', { name: /^Save\b/ }).click();
  await waitFor('the Save to be answered', async () => (await invokesAnswered(page)) > invokes);
  await page.waitForTimeout(1_000);
  const saved = await firstPage.innerText();
  if (checks.check(/Recorded by/.test(saved) && !/not saved/i.test(saved), `(b) Record → Save on agenda card 1: the card now shows the outcome "Recorded by …" → ${join(out, 'group-agenda.png')}`, `(b) Record → Save on agenda card 1 did not show a recorded outcome; the card reads: ${oneLine(saved, 400)}`)) {
    await screenshotCard(page, firstPage, join(out, 'group-agenda.png'));
  }

  const beforeRefresh = await invokesAnswered(page);
  await firstPage.getByRole('button', { name: /^Refresh\b/ }).click();
  await waitFor('the Refresh to be answered', async () => (await invokesAnswered(page)) > beforeRefresh);
  await page.waitForTimeout(1_000);
  const refreshed = await firstPage.innerText();
  if (checks.check(/Recorded by/.test(refreshed), `(b) Refresh on agenda card 1: the card came back with the recorded outcome → ${join(out, 'group-refreshed.png')}`, `(b) Refresh on agenda card 1 lost the recorded outcome; the card reads: ${oneLine(refreshed, 400)}`)) {
    await screenshotCard(page, firstPage, join(out, 'group-refreshed.png'));
  }
}

/** What the bot reads when it checks who is in the chat (the current user and the five configured users). */
export async function reportRoster(checks: Checks, label: string, members: readonly PlaygroundPerson[]): Promise<void> {
  const roster = await rosterOf(GROUP_CHAT.id);
  checks.info(`${label} the group chat's roster read answers ${roster.length} members: ${roster.map((m) => `${m.name} (${m.aadObjectId})`).join(', ')}`);
  const expected = new Set(members.map((m) => m.aadObjectId));
  checks.check(roster.length === members.length && roster.every((m) => expected.has(m.aadObjectId)), `${label} the roster read lists exactly the chat's ${members.length} configured members with their Entra ids`, `${label} the roster read does not match the configuration (${members.length} members expected)`);
}
