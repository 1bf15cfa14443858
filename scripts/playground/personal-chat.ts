import { join } from 'node:path';
import type { Checks } from './checks.js';
import { cardWith, cards, newCards, oneLine, openConversation, say, screenshotCard, type PlaygroundSession } from './session.js';

/** What the personal chat found out for the later scenarios: the people on the analyst's list. */
export interface ListedPeople {
  readonly ids: readonly string[];
  readonly profiled: string | null;
}

/**
 * (a) The analyst's personal chat: `list`, `profile <id>` (the README's
 * screenshot), and selecting a person on the list.
 */
export async function personalChat(session: PlaygroundSession, checks: Checks, out: string, personArg: string | undefined): Promise<ListedPeople> {
  const { page } = session;
  await openConversation(page, 'Personal Chat');

  let before = await cards(page).count();
  await say(page, 'list');
  const listCard = (await newCards(page, before)).at(-1);
  const listText = listCard ? await listCard.innerText() : '';
  if (!checks.check(listText.includes('Subjects Over 18'), '(a) personal chat: `list` answered with the analyst\'s list (children, and "CSE Risk – Subjects Over 18")', `(a) personal chat: \`list\` did not answer with the analyst's list; it showed: ${oneLine(listText) || 'nothing'}`)) {
    return { ids: [], profiled: null };
  }
  await screenshotCard(page, listCard!, join(out, 'list.png'));
  const ids = (await listCard!.locator('.ac-selectable').allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '' && !/\s/.test(t));
  checks.info(`(a) the list names ${ids.length} people (${ids.slice(0, 3).join(', ')}…) → ${join(out, 'list.png')}`);

  const personId = personArg ?? ids[0];
  if (!personId) {
    checks.fail('(a) personal chat: the list card has no selectable person');
    return { ids, profiled: null };
  }
  before = await cards(page).count();
  await say(page, `profile ${personId}`);
  const profile = await cardWith(await newCards(page, before), `Person ${personId}`);
  if (checks.check(profile !== null, `(a) personal chat: \`profile ${personId}\` answered with their card → ${join(out, 'profile.png')}`, `(a) personal chat: \`profile ${personId}\` did not answer with "Person ${personId}"`)) {
    await screenshotCard(page, profile!, join(out, 'profile.png'));
  }

  // Selecting a person on the list sends `{ command: 'profile', personId }` back (Action.Submit) and brings their card.
  const picked = ids.find((id) => id !== personId);
  if (picked) {
    before = await cards(page).count();
    await listCard!.locator('.ac-selectable').getByText(picked, { exact: true }).first().click();
    const selected = await cardWith(await newCards(page, before), `Person ${picked}`);
    if (checks.check(selected !== null, `(a) personal chat: selecting ${picked} on the list answered with their card → ${join(out, 'selected.png')}`, `(a) personal chat: selecting ${picked} on the list did not bring "Person ${picked}"`)) {
      await screenshotCard(page, selected!, join(out, 'selected.png'));
    }
  }
  return { ids, profiled: personId };
}
