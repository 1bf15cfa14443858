import { DECISION_SUPPORT_STATEMENT } from '../domain/decision-support.js';
import { chanceSentence } from './chance-words.js';
import { CARD_BYTE_LIMIT, CardTooLargeError, type AdaptiveCardJson } from './expand-card.js';
import { plainText } from './plain-text.js';

/** One child on an alert card, as this reader may see them. */
export interface AlertChildView {
  readonly alertId: string;
  readonly personId: string;
  readonly change: string;
  readonly previousBand: string | null;
  readonly band: string | null;
  readonly chanceIn100: number | null;
  readonly reasonLines: readonly string[];
  /** The reasons new since the run before that this reader may see. */
  readonly newReasonLines: readonly string[];
  readonly agencies: readonly string[];
  readonly closedOn?: string;
  /** The reader may no longer consult this child (moved school, new role): the card names nothing more about them. */
  readonly withheld?: boolean;
}

/** What a card says of a child its reader may no longer consult, instead of any detail. */
export const NO_LONGER_SHOWN = 'You no longer work with this child: nothing more is shown.';

/** A child's line on a card, with nothing about them when the reader may no longer consult them. */
export const withheldView = (alertId: string, personId: string, change: string): AlertChildView => ({
  alertId,
  personId,
  change,
  previousBand: null,
  band: null,
  chanceIn100: null,
  reasonLines: [],
  newReasonLines: [],
  agencies: [],
  withheld: true,
});

/** An answer already given on the card. */
export interface AlertResponseView {
  readonly by: string;
  readonly action: string;
  readonly at: string;
  readonly note: string | null;
}

/** The verbs of the card's Action.Execute buttons (without a verb Teams never sends the invoke). */
export const ALERT_VERBS = {
  acknowledge: 'alert.acknowledge',
  alreadyKnown: 'alert.already_known',
  notAConcern: 'alert.not_a_concern',
  review: 'alert.review_requested',
} as const;

const ACTION_WORDS: Record<string, string> = {
  acknowledged: 'acknowledged',
  already_known: 'said this is already known and being acted on',
  not_a_concern: 'said this is not a concern',
  review_requested: 'asked for a review at the next meeting',
};

function changeText(c: AlertChildView): string {
  switch (c.change) {
    case 'joined_list':
      return `joined the meeting's list (band ${c.band ?? '—'})`;
    case 'entered_watch':
      return `came into the watch band (band ${c.band ?? '—'}, was ${c.previousBand ?? 'not scored'})`;
    case 'new_reason':
      // A reader who may not see the new reason (their role changed since) is told only where the child stands.
      return c.newReasonLines.length > 0 ? `has a new reason for concern (band ${c.band ?? '—'})` : `is in band ${c.band ?? '—'}`;
    case 'on_list':
      return `is on this week's list (band ${c.band ?? '—'})`;
    default:
      return `moved up from band ${c.previousBand ?? '—'} to ${c.band ?? '—'}`;
  }
}

const newReasons = (c: AlertChildView) =>
  c.newReasonLines.length ? [{ type: 'TextBlock', weight: 'Bolder', text: 'New since the last run', spacing: 'Medium' }, ...c.newReasonLines.map((line) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: `• ${plainText(line)}` }))] : [];

const chanceText = (c: AlertChildView) =>
  c.chanceIn100 === null ? [] : [{ type: 'TextBlock', wrap: true, text: chanceSentence(c.chanceIn100) }];

const answerLine = (r: AlertResponseView) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: plainText(`${r.by} ${ACTION_WORDS[r.action] ?? r.action} (${r.at} UTC)${r.note ? `: “${r.note}”` : ''}`) });

const answers = (responses: readonly AlertResponseView[]) => (responses.length ? [{ type: 'TextBlock', weight: 'Bolder', text: 'Answers', spacing: 'Medium' }, ...responses.map(answerLine)] : []);

/** How a card is sent: the short form after Teams refused the full one (413); sent again after an interrupted delivery. */
export interface AlertCardForm {
  readonly compact?: boolean;
  readonly resent?: boolean;
  readonly school?: boolean;
}

// A worker that stopped mid-send cannot know whether Teams delivered: the alert goes again, saying so.
const resentNote = (form: AlertCardForm) => (form.resent ? [{ type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, text: 'If this reached you already: delivery was interrupted, so it was sent again.' }] : []);

function checked(card: AdaptiveCardJson): AdaptiveCardJson {
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > CARD_BYTE_LIMIT) throw new CardTooLargeError('alert', bytes);
  return card;
}

/**
 * The alert for one child: what changed, the reasons this reader may see, the
 * agencies involved, and the answers (Action.Execute, each with a verb). The
 * same builder makes the refreshed card after an answer, with who answered.
 */
export function alertCard(child: AlertChildView, responses: readonly AlertResponseView[], runId: string, form: AlertCardForm = {}): AdaptiveCardJson {
  const data = { alertId: child.alertId };
  const details = child.withheld
    ? []
    : form.compact
    ? [{ type: 'TextBlock', wrap: true, text: 'Open the profile for the reasons and the agencies involved.' }]
    : [
        ...newReasons(child),
        { type: 'TextBlock', weight: 'Bolder', text: 'Why this child is shown', spacing: 'Medium' },
        ...child.reasonLines.map((line) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: `• ${plainText(line)}` })),
        { type: 'TextBlock', weight: 'Bolder', text: 'Agencies involved', spacing: 'Medium' },
        ...child.agencies.map((a) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: `• ${plainText(a)}` })),
      ];
  return checked({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: plainText(`CSE risk has emerged for ${child.personId}`) },
      { type: 'TextBlock', wrap: true, isSubtle: true, spacing: 'None', text: plainText(child.withheld ? `${NO_LONGER_SHOWN} Run ${runId}.` : `In your caseload: since the last run, this child ${changeText(child)}. Run ${runId}.`) },
      ...(!child.withheld && child.closedOn ? [{ type: 'TextBlock', wrap: true, weight: 'Bolder', text: plainText(`The multi-agency meeting closed this child on ${child.closedOn}; their risk has risen since.`) }] : []),
      ...(child.withheld ? [] : chanceText(child)),
      ...details,
      ...answers(responses),
      ...resentNote(form),
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium', text: DECISION_SUPPORT_STATEMENT },
    ],
    actions: [
      { type: 'Action.Submit', title: 'Open profile', data: { command: 'profile', personId: child.personId } },
      { type: 'Action.Execute', title: 'Acknowledge', verb: ALERT_VERBS.acknowledge, data },
      { type: 'Action.Execute', title: 'Already known and being acted on', verb: ALERT_VERBS.alreadyKnown, data },
      {
        type: 'Action.ShowCard',
        title: 'Not a concern: why',
        card: {
          type: 'AdaptiveCard',
          body: [{ type: 'Input.Text', id: 'note', isMultiline: true, maxLength: 500, isRequired: true, errorMessage: 'Say briefly why', label: 'Why is this not a concern?' }],
          actions: [{ type: 'Action.Execute', title: 'Record: not a concern', verb: ALERT_VERBS.notAConcern, data }],
        },
      },
      { type: 'Action.Execute', title: 'Request review at the next meeting', verb: ALERT_VERBS.review, data },
    ],
  });
}

/** Many children for one reader in one run: one card listing them, each opening its profile, acknowledged together. */
export function alertDigestCard(children: readonly AlertChildView[], runId: string, responses: readonly AlertResponseView[] = [], form: AlertCardForm = {}): AdaptiveCardJson {
  const { compact, school } = form;
  return checked({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: school ? `Your pupils on this week's list: ${children.length}` : `CSE risk has emerged for ${children.length} children in your caseload` },
      {
        type: 'TextBlock',
        wrap: true,
        isSubtle: true,
        spacing: 'None',
        text: plainText(school ? `Run ${runId}: pupils of your school only, with the other agencies involved. Select a pupil to open their profile.` : `Since the last run (run ${runId}). Select a child to open their profile and answer there.`),
      },
      ...children.map((c) => ({
        type: 'Container',
        separator: true,
        selectAction: { type: 'Action.Submit', data: { command: 'profile', personId: c.personId } },
        items: [
          { type: 'TextBlock', weight: 'Bolder', wrap: true, text: plainText(`${c.personId}: ${c.withheld ? NO_LONGER_SHOWN : changeText(c)}`) },
          ...(compact || c.withheld ? [] : c.reasonLines.slice(0, 3).map((line) => ({ type: 'TextBlock', wrap: true, spacing: 'Small', text: `• ${plainText(line)}` }))),
          ...(school && !compact && c.agencies.length ? [{ type: 'TextBlock', wrap: true, spacing: 'Small', isSubtle: true, text: plainText(`Agencies: ${c.agencies.join('; ')}`) }] : []),
        ],
      })),
      ...answers(responses),
      ...resentNote(form),
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium', text: DECISION_SUPPORT_STATEMENT },
    ],
    actions: [{ type: 'Action.Execute', title: 'Acknowledge all', verb: ALERT_VERBS.acknowledge, data: { alertIds: children.map((c) => c.alertId) } }],
  });
}

const STATUS_WORDS: Record<string, string> = { sending: 'being sent to you in Teams', sent: 'sent to you in Teams', held: 'held: the app was not installed for you', stale: 'not delivered: the chat was closed', failed: 'not delivered: Teams refused it' };

/** `alerts`: a person's own latest alerts, each opening the child's profile, with the answers given. */
export function alertsListCard(title: string, alerts: readonly { readonly child: AlertChildView; readonly runId: string; readonly status: string; readonly responses: readonly AlertResponseView[] }[]): AdaptiveCardJson {
  return checked({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: plainText(title) },
      ...alerts.map(({ child, runId, status, responses }) => ({
        type: 'Container',
        separator: true,
        selectAction: { type: 'Action.Submit', data: { command: 'profile', personId: child.personId } },
        items: [
          { type: 'TextBlock', weight: 'Bolder', wrap: true, text: plainText(`${child.personId}: ${changeText(child)}`) },
          { type: 'TextBlock', wrap: true, isSubtle: true, spacing: 'None', text: plainText(`Run ${runId}; ${STATUS_WORDS[status] ?? status}`) },
          ...responses.map(answerLine),
        ],
      })),
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium', text: DECISION_SUPPORT_STATEMENT },
    ],
  });
}
