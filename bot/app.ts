import { MemoryStorage } from 'botbuilder';
import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { handleHelp, handleUnknown } from './handlers/help.js';

/**
 * Registers the bot's handlers on a teams-ai Application. Handlers take a
 * TurnContext and plain dependencies, so a move to the Teams SDK
 * (@microsoft/teams.apps) rewrites this file and server.ts, not the handlers.
 */
export function createApp(adapter: TeamsAdapter): Application<TurnState> {
  const app = new Application<TurnState>({ adapter, storage: new MemoryStorage(), removeRecipientMention: true, startTypingTimer: false });
  app.message(/^\s*help\s*$/i, async (context) => handleHelp(context));
  // Must stay last: anything no other route took.
  app.activity('message', async (context) => handleUnknown(context));
  return app;
}
