import { DECISION_SUPPORT_STATEMENT } from '../domain/decision-support.js';
import { MEETING_CONFIDENTIALITY } from '../domain/meeting.js';
import { CARD_BYTE_LIMIT, CardTooLargeError, type AdaptiveCardJson } from './expand-card.js';
import { plainText } from './plain-text.js';
import { FORM_LIMITS } from '../domain/meeting-forms.js';

export const UPDATE_VERB = 'meeting.update';

export interface UpdateRequestView {
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly items: readonly { readonly updateId: string; readonly personId: string; readonly band: string; readonly answer?: string | null; readonly shared?: boolean }[];
  readonly banner?: string;
  /** The reader is a police officer or analyst: their update stays in the Police view unless they share it. */
  readonly policeAuthor?: boolean;
}

/** Who will read the update, said before it is written. */
const readersOf = (police: boolean) =>
  police
    ? 'You are asked as the police. Your update is shown only in the meeting’s Police view (officers and analysts, privately), never in the chat, unless you tick “Partners may read this” under it: then every member of the meeting’s chat reads its text, as from the police, without your name.'
    : 'Every member of the meeting’s chat reads your update on the child’s item, with your name and agency.';

/** Before a meeting: one text box per child the reader works with; answered, the card shows what was sent. */
export function updateRequestCard(view: UpdateRequestView): AdaptiveCardJson {
  const open = view.items.filter((i) => !i.answer);
  const card: AdaptiveCardJson = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: `Your update for the victim-list meeting on ${view.meetingDate}` },
      { type: 'TextBlock', wrap: true, isSubtle: true, spacing: 'None', text: 'Children you work with are on its agenda. A line or two on each (what has happened, what is planned) appears on their item at the meeting.' },
      { type: 'TextBlock', wrap: true, weight: view.policeAuthor ? 'Bolder' : 'Default', color: view.policeAuthor ? 'Attention' : 'Default', text: readersOf(view.policeAuthor === true) },
      ...(view.banner ? [{ type: 'TextBlock', wrap: true, color: 'Good', weight: 'Bolder', text: plainText(view.banner) }] : []),
      ...view.items.flatMap((item, k): Record<string, unknown>[] =>
        item.answer
          ? [{ type: 'TextBlock', wrap: true, text: plainText(`${item.personId} (band ${item.band}): “${item.answer}”${view.policeAuthor ? (item.shared ? ' (partners may read it)' : ' (Police view only)') : ''}`) }]
          : [
              { type: 'Input.Text', id: `update_${k + 1}`, label: plainText(`${item.personId} (band ${item.band})`), isMultiline: true, maxLength: FORM_LIMITS.update },
              ...(view.policeAuthor ? [{ type: 'Input.Toggle', id: `share_${k + 1}`, title: 'Partners may read this (without my name)', value: 'false', valueOn: 'true', valueOff: 'false' }] : []),
            ],
      ),
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Medium', text: MEETING_CONFIDENTIALITY },
      { type: 'TextBlock', wrap: true, size: 'Small', isSubtle: true, spacing: 'Small', text: DECISION_SUPPORT_STATEMENT },
    ],
    actions: open.length ? [{ type: 'Action.Execute', title: 'Send to the meeting', verb: UPDATE_VERB, data: { meetingId: view.meetingId, updateIds: view.items.map((i) => i.updateId) } }] : [],
  };
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > CARD_BYTE_LIMIT) throw new CardTooLargeError('meeting update request', bytes);
  return card;
}
