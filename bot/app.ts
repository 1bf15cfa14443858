import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { handleHelp, handleUnknown } from './handlers/help.js';
import { handleList } from './handlers/list.js';
import { handleModel } from './handlers/model.js';
import { handleProfile } from './handlers/profile.js';
import type { LookupDeps } from './lookups/lookup-deps.js';
import { handleInstall } from './handlers/install.js';
import { handleAlerts } from './handlers/alerts.js';
import { handleAlertAction } from './handlers/alert-action.js';
import { handleMeetingAction, handleMeetingClose, handleMeetingNew, handleMeetingReopen } from './handlers/meeting.js';
import { handleActionStatus } from './handlers/action-status.js';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { ChatRosterCache } from './lookups/chat-roster.js';
import { forgetRosterOnChange } from './handlers/chat-roster.js';

const PROFILE = /^\s*profile\b([\s\S]*)$/i;
const MEETING_NEW = /^\s*meeting\s+new\b\s*(.*?)\s*$/i;

/**
 * Registers the bot's handlers on a teams-ai Application. Handlers take a
 * TurnContext and plain dependencies, and the decisions live in
 * bot/lookups and bot/access, so a move to the Teams SDK
 * (@microsoft/teams.apps) rewrites this file, server.ts and the thin
 * handlers, nothing else.
 */
export function createApp(adapter: TeamsAdapter, given: LookupDeps & { readonly link: (path: string) => string }): Application<TurnState> {
  // One roster cache per bot: group-chat checks share it (and its 60 s).
  const deps = { ...given, rosters: given.rosters ?? new ChatRosterCache(() => given.now().getTime()) };
  // No storage: every command is answered from the TFD alone, so there is no conversation state to load and save per turn.
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false });
  app.message(/^\s*help\s*$/i, async (context) => handleHelp(context));
  app.message(PROFILE, async (context) => handleProfile(context, deps, PROFILE.exec(context.activity.text ?? '')?.[1] ?? ''));
  // Selecting a person on a list card (Action.Submit) arrives as a message carrying a value, not text.
  app.activity(
    async (context) => context.activity.type === 'message' && profileRequestOf(context.activity.value) !== null,
    async (context) => handleProfile(context, deps, profileRequestOf(context.activity.value)!),
  );
  app.message(/^\s*list\s*$/i, async (context) => handleList(context, deps));
  app.message(/^\s*model\s*$/i, async (context) => handleModel(context, deps));
  app.message(/^\s*alerts\s*$/i, async (context) => handleAlerts(context, deps));
  app.message(MEETING_NEW, async (context) => handleMeetingNew(context, deps, MEETING_NEW.exec(context.activity.text ?? '')?.[1] ?? ''));
  app.message(/^\s*meeting\s+close\s*$/i, async (context) => handleMeetingClose(context, deps));
  app.message(/^\s*meeting\s+reopen\s*$/i, async (context) => handleMeetingReopen(context, deps));
  // Installs and 1:1 conversation updates: the conversation reference alerts are sent to.
  app.activity('installationUpdate', async (context) => handleInstall(context, deps));
  app.activity('conversationUpdate', async (context) => {
    // Members added or removed: the chat's roster is read again before the next card with children.
    forgetRosterOnChange(context, deps.rosters);
    await handleInstall(context, deps);
  });
  // Answers on alert cards (Action.Execute with an `alert.*` verb); the card returned replaces the old one.
  app.adaptiveCards.actionExecute(/^alert\./, async (context, _state, data) => (await handleAlertAction(context, deps, data)) as unknown as AdaptiveCard);
  // Recording outcomes and attendance on the meeting's agenda cards.
  app.adaptiveCards.actionExecute(/^meeting\./, async (context, _state, data) => (await handleMeetingAction(context, deps, data)) as unknown as AdaptiveCard);
  // Done or Blocked on a meeting action's reminder.
  app.adaptiveCards.actionExecute(/^action\./, async (context, _state, data) => (await handleActionStatus(context, deps, data)) as unknown as AdaptiveCard);
  // Must stay last: anything no other route took.
  app.activity('message', async (context) => handleUnknown(context));
  return app;
}

/** The person id in a card's `{ command: 'profile', personId }` submit, or null. */
function profileRequestOf(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const { command, personId } = value as { command?: unknown; personId?: unknown };
  return command === 'profile' && typeof personId === 'string' ? personId : null;
}
