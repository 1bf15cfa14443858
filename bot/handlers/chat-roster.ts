import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ChatRosterCache, RosterMember, RosterRead } from '../lookups/chat-roster.js';

/** Every member of the chat, page by page, from Teams, or why Teams would not say. */
async function rosterFromTeams(context: TurnContext): Promise<RosterRead> {
  try {
    const members: RosterMember[] = [];
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 500, token);
      members.push(...page.members.map((m) => ({ aadObjectId: m.aadObjectId ?? null, name: m.name ?? m.id })));
      token = page.continuationToken;
    } while (token);
    return members;
  } catch (error) {
    return { error: error instanceof Error ? error.message.slice(0, 200) : String(error) };
  }
}

/** The chat's roster, through the bot's cache (lookups/chat-roster.ts) so that a busy meeting stays within Teams' roster-read limits. */
export const readChatRoster = (context: TurnContext, rosters: ChatRosterCache): Promise<RosterRead> => rosters.read(context.activity.conversation.id, () => rosterFromTeams(context));

/** A `conversationUpdate` adding or removing members: the chat's cached roster is forgotten, so the next check reads Teams. */
export function forgetRosterOnChange(context: TurnContext, rosters: ChatRosterCache): void {
  const a = context.activity;
  if ((a.membersAdded?.length ?? 0) > 0 || (a.membersRemoved?.length ?? 0) > 0) rosters.forget(a.conversation.id);
}
