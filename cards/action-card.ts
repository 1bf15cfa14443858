import { DECISION_SUPPORT_STATEMENT } from '../domain/decision-support.js';
import type { DueAction } from '../domain/alert-delivery.js';
import { CARD_BYTE_LIMIT, CardTooLargeError, type AdaptiveCardJson } from './expand-card.js';
import { plainText } from './plain-text.js';
import { FORM_LIMITS } from '../domain/meeting-forms.js';

/** The verbs of an action reminder's buttons. */
export const ACTION_VERBS = { done: 'action.done', blocked: 'action.blocked' } as const;

const STATUS_WORDS: Record<string, string> = { open: 'open', done: 'done', blocked: 'blocked', circumstances_changed: 'circumstances changed', not_done: 'not done' };

/** An owner's meeting actions that fell due: each with Done and Blocked (a reason), answered in place. */
export function actionReminderCard(actions: readonly DueAction[], banner?: string): AdaptiveCardJson {
  const card: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: actions.length === 1 ? 'A meeting action is due' : `${actions.length} meeting actions are due` },
      { type: 'TextBlock', wrap: true, isSubtle: true, spacing: 'None', text: 'Agreed at the multi-agency victim-list meeting, with you as owner. Mark each done or blocked; the next meeting sees the answer.' },
      ...(banner ? [{ type: 'TextBlock', wrap: true, color: 'Attention', text: plainText(banner) }] : []),
      ...actions.map((a) => ({
        type: 'Container',
        separator: true,
        items: [
          { type: 'TextBlock', wrap: true, weight: 'Bolder', text: plainText(`${a.personId}: ${a.description}`) },
          { type: 'TextBlock', wrap: true, isSubtle: true, spacing: 'None', text: plainText(`Due ${a.due}; agreed ${a.meetingDate}; ${STATUS_WORDS[a.status] ?? a.status}`) },
          ...(a.status === 'open'
            ? [
                {
                  type: 'ActionSet',
                  actions: [
                    { type: 'Action.Execute', title: 'Done', verb: ACTION_VERBS.done, data: { actionId: a.actionId, shown: actions.map((x) => x.actionId) } },
                    {
                      type: 'Action.ShowCard',
                      title: 'Blocked',
                      card: {
                        type: 'AdaptiveCard',
                        body: [{ type: 'Input.Text', id: blockedInputId(a.actionId), label: 'What is blocking it?', isRequired: true, errorMessage: 'Say briefly what is blocking it', maxLength: FORM_LIMITS.blockedReason }],
                        actions: [{ type: 'Action.Execute', title: 'Record: blocked', verb: ACTION_VERBS.blocked, data: { actionId: a.actionId, shown: actions.map((x) => x.actionId) } }],
                      },
                    },
                  ],
                },
              ]
            : []),
        ],
      })),
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium', text: DECISION_SUPPORT_STATEMENT },
    ],
  };
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > CARD_BYTE_LIMIT) throw new CardTooLargeError('action reminder', bytes);
  return card;
}

/** The input id of an action's "what is blocking it" field. */
export const blockedInputId = (actionId: string) => `why_${actionId.replace(/[^A-Za-z0-9]/g, '_')}`;
