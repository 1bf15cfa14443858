import type { Notice } from '../../cards/views.js';
import type { Caller } from '../../domain/roles.js';

export type { Notice };

/**
 * How to give the app a command in a group chat or channel: Teams delivers
 * only messages that @mention it (the app does not ask for the chat-wide
 * ChatMessage.Read.Chat consent that would let it read every message: it needs
 * none of them, and they are often about children; docs/meeting.md).
 */
export const MENTION_THE_APP = '@mention the app first (type @ and its name, TFD CSE insight), then the command';

/** "@mention the app, then type `meeting new`" for a notice in a chat. */
export const mentionThen = (command: string): string => `@mention the app, then type \`${command}\``;

export const notices = {
  unknownCaller: (aadObjectId: string | null): Notice => ({
    title: 'You do not have access yet',
    text: `This service is for staff named in the Think Family staff list. Ask your Think Family administrator to add your Microsoft Entra object id${aadObjectId ? ` (${aadObjectId})` : ''} with your role. Nothing was looked up.`,
    tone: 'attention',
  }),
  usage: (): Notice => ({ title: 'Which person?', text: 'Type `profile` followed by a person id, for example `profile P00012345`.', tone: 'default' }),
  malformed: (why: string): Notice => ({ title: 'That is not a person id', text: `${why}. Type \`profile\` followed by a person id, for example \`profile P00012345\`.`, tone: 'default' }),
  suspicious: (): Notice => ({ title: 'That is not a person id', text: 'Person ids are letters and digits (for example `P00012345`). Nothing was looked up.', tone: 'attention' }),
  // Same words for "no such person" and "not yours", so nobody outside a role that sees everyone can probe who is in the TFD.
  notAvailable: (id: string): Notice => ({
    title: 'Not available to you',
    text: `There is no person ${id} you can see. You can look up people you work with: your open cases, your school's pupils, or the children on the list your meeting reviews. If you need access, ask your Think Family administrator.`,
    tone: 'default',
  }),
  // Names no child and echoes nothing typed: everyone in the chat reads it.
  onlyInPersonalChat: (command: 'profile' | 'list' | 'alerts' | 'model', place: string): Notice => ({
    title: 'Ask me in your 1:1 chat',
    text: `Everyone in this ${place} would read the answer, so \`${command}\` is answered only in your own 1:1 chat with the app (in Teams: Chat, then the app's name, or the app in the left rail). Type it there. Nothing was looked up or shown here.`,
    tone: 'attention',
  }),
  noSuchPerson: (id: string): Notice => ({ title: 'No such person', text: `There is no person with id ${id} in the TFD.`, tone: 'default' }),
  noList: (caller: Caller): Notice => ({
    title: 'No list for your role',
    text: caller.role === 'school_safeguarding_lead' ? 'Your staff record has no school, so there is no school list to show. Ask your Think Family administrator to add it.' : 'Your role does not have a list in this service.',
    tone: 'default',
  }),
};
