import { DECISION_SUPPORT_STATEMENT } from '../domain/decision-support.js';
import { chanceSentence } from './chance-words.js';
import { AGENDA_SECTIONS, DECISIONS, DECISION_WORDS, MEETING_CONFIDENTIALITY, OUTCOMES, OUTCOME_WORDS, RAG_RATINGS, SECTION_TITLES, type AgendaSection, type RecordedOutcome, CARRIED_OUTCOMES } from '../domain/meeting.js';
import { CARD_BYTE_LIMIT, CardTooLargeError, type AdaptiveCardJson } from './expand-card.js';
import { plainText } from './plain-text.js';
import { FORM_LIMITS, followUpRange } from '../domain/meeting-forms.js';
import { noticeCard } from './build-cards.js';
import type { Notice } from './views.js';

/** The verbs of the meeting cards' Action.Execute buttons. */
export const MEETING_VERBS = {
  record: 'meeting.record',
  attendance: 'meeting.attendance',
  refresh: 'meeting.refresh',
  policeView: 'meeting.police_view',
} as const;

/** What the meeting recorded about an item. */
export interface RecordedView extends RecordedOutcome {
  readonly by: string;
  readonly at: string;
}

/** One child on the agenda as this chat may see them. */
export interface MeetingItemView {
  readonly itemId: string;
  readonly personId: string;
  readonly number: number;
  readonly section: AgendaSection;
  readonly version: number;
  readonly band: string;
  readonly chanceIn100: number | null;
  readonly trend: string;
  readonly reasonLines: readonly string[];
  readonly agencies: readonly string[];
  readonly lastDecision: string | null;
  /** Actions from earlier meetings still open or blocked: the meeting records what became of each. */
  readonly carriedActions: readonly { readonly actionId: string; readonly text: string }[];
  readonly requestedBy: readonly string[];
  readonly recorded: RecordedView | null;
  readonly actions: readonly string[];
  /** Lead professionals' updates sent before the meeting. */
  readonly updates?: readonly string[];
}

export interface MeetingPageView {
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly page: number;
  readonly pages: number;
  readonly items: readonly MeetingItemView[];
  /** Who may own an action: the chat's members. */
  readonly owners: readonly { readonly workerId: string; readonly name: string }[];
  readonly agencies: readonly string[];
  /** Shown above the items: e.g. why an entry was not saved. */
  readonly banner?: string;
}

export interface MeetingHeaderView {
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly runId: string;
  readonly chair: string | null;
  readonly counts: Readonly<Record<AgendaSection, number>>;
  readonly pages: number;
  readonly present: readonly string[];
  readonly apologies: readonly string[];
  /** Shown to the presser above the attendance: e.g. why an answer was not recorded. */
  readonly banner?: string;
}

const CARRIED_WORDS: Record<string, string> = { done: 'done', circumstances_changed: 'circumstances changed', not_done: 'not done' };

/** Children per agenda card: each card, with its recording forms, stays near 28 KB, far under Teams' 100 KB. */
export const ITEMS_PER_PAGE = 5;

function checked(name: string, card: AdaptiveCardJson): AdaptiveCardJson {
  const bytes = Buffer.byteLength(JSON.stringify(card));
  if (bytes > CARD_BYTE_LIMIT) throw new CardTooLargeError(name, bytes);
  return card;
}

const text = (t: string, extra: Record<string, unknown> = {}) => ({ type: 'TextBlock', wrap: true, text: t, ...extra });
/**
 * Stored text shown at most `max` characters long, saying so when cut: the
 * forms are limited on the server, but a row stored before (or by hand) must
 * never push a page past Teams' size limit.
 */
export const clipped = (t: string, max: number) => (t.length <= max ? t : `${t.slice(0, max)}… (clipped: ${(t.length - max).toLocaleString('en-GB')} more characters; the full text is in the minutes’ CSV)`);
const LINE_MAX = FORM_LIMITS.notes + 200;
/** Actions shown per item (the latest): every save may add one, and the page must stay within Teams' limit. */
const ACTIONS_SHOWN = 10;
const bullet = (t: string) => text(`• ${plainText(clipped(t, LINE_MAX))}`, { spacing: 'Small' });
const heading = (t: string) => text(t, { weight: 'Bolder', spacing: 'Medium' });
const choices = (values: readonly string[], words: Readonly<Record<string, string>> = {}) => values.map((v) => ({ title: words[v] ?? v, value: v }));

/** The agenda's first card: the meeting, its sections, attendance, and the confidentiality statement. */
export function meetingHeaderCard(view: MeetingHeaderView): AdaptiveCardJson {
  const data = { meetingId: view.meetingId };
  return checked('meeting header', {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      text(`Victim-list meeting, ${view.meetingDate}`, { size: 'Medium', weight: 'Bolder' }),
      text(plainText(`Agenda from run ${view.runId}${view.chair ? `; chair ${view.chair}` : ''}. ${view.pages} agenda card${view.pages === 1 ? '' : 's'} follow.`), { isSubtle: true, spacing: 'None' }),
      { type: 'FactSet', facts: AGENDA_SECTIONS.map((s) => ({ title: SECTION_TITLES[s], value: String(view.counts[s]) })) },
      heading('Attendance'),
      text(plainText(view.present.length ? `Present: ${view.present.join('; ')}` : 'Present: nobody has said yet'), { spacing: 'Small' }),
      text(plainText(view.apologies.length ? `Apologies: ${view.apologies.join('; ')}` : 'Apologies: none'), { spacing: 'Small' }),
      ...(view.banner ? [text(plainText(view.banner), { color: 'Attention', weight: 'Bolder' })] : []),
      text(MEETING_CONFIDENTIALITY, { size: 'Small', isSubtle: true, spacing: 'Medium' }),
    ],
    actions: [
      { type: 'Action.Execute', title: 'I am here', verb: MEETING_VERBS.attendance, data: { ...data, attendance: 'present' } },
      { type: 'Action.Execute', title: 'Send apologies', verb: MEETING_VERBS.attendance, data: { ...data, attendance: 'apologies' } },
    ],
  });
}

/** A notice answered on a meeting card (a failure, say), with the way back to the agenda so the presser is never left on a dead end. */
export function meetingNoticeCard(notice: Notice, back: { readonly title: string; readonly verb: string; readonly data: Record<string, unknown> } | null): AdaptiveCardJson {
  const card = noticeCard(notice);
  return back ? { ...card, actions: [...((card.actions as unknown[] | undefined) ?? []), { type: 'Action.Execute', title: back.title, verb: back.verb, data: back.data }] } : card;
}

function recordedLines(r: RecordedView, actions: readonly string[]) {
  const facts = [
    r.rag && { title: 'RAG', value: r.rag.toUpperCase() },
    r.decision && { title: 'Decision', value: DECISION_WORDS[r.decision as keyof typeof DECISION_WORDS] ?? r.decision },
    r.outcome && { title: 'Outcome', value: OUTCOME_WORDS[r.outcome as keyof typeof OUTCOME_WORDS] ?? r.outcome },
    r.leadAgency && { title: 'Lead agency', value: plainText(clipped(r.leadAgency.replace(/_/g, ' '), 100)) },
    r.nextReview && { title: 'Next review', value: r.nextReview },
  ].filter(Boolean);
  return [
    heading('Recorded'),
    { type: 'FactSet', facts },
    ...(r.notes ? [text(plainText(`Notes: ${clipped(r.notes, FORM_LIMITS.notes)}`), { spacing: 'Small' })] : []),
    ...actions.slice(-ACTIONS_SHOWN).map((a) => bullet(`Action: ${a}`)),
    ...(actions.length > ACTIONS_SHOWN ? [text(`and ${actions.length - ACTIONS_SHOWN} earlier actions (in the minutes)`, { spacing: 'Small', isSubtle: true })] : []),
    text(plainText(`Recorded by ${r.by} (${r.at} UTC)`), { size: 'Small', isSubtle: true, spacing: 'Small' }),
  ];
}

/**
 * The form under "Record N", opened right under the child it is about and
 * naming them. Input ids carry the item's number, as every input on a card
 * shares one namespace; the limits are the server's (domain/meeting-forms.ts).
 */
function recordForm(item: MeetingItemView, view: MeetingPageView) {
  const n = item.number;
  const r = item.recorded;
  const dates = followUpRange(view.meetingDate);
  return {
    type: 'AdaptiveCard',
    body: [
      text(plainText(`Record for ${item.personId} (item ${n})`), { weight: 'Bolder' }),
      { type: 'Input.ChoiceSet', id: `rag_${n}`, label: 'RAG rating', style: 'compact', value: r?.rag ?? undefined, choices: choices(RAG_RATINGS, { red: 'Red', amber: 'Amber', green: 'Green' }) },
      { type: 'Input.ChoiceSet', id: `decision_${n}`, label: 'Decision', style: 'compact', isRequired: true, errorMessage: 'Choose a decision', value: r?.decision ?? undefined, choices: choices(DECISIONS, DECISION_WORDS) },
      { type: 'Input.ChoiceSet', id: `outcome_${n}`, label: 'Outcome known (teaches the model)', style: 'compact', value: r?.outcome ?? undefined, choices: choices(OUTCOMES, OUTCOME_WORDS) },
      // A choice set needs choices: without agencies or members there is nothing to choose.
      ...(view.agencies.length ? [{ type: 'Input.ChoiceSet', id: `lead_${n}`, label: 'Lead agency', style: 'compact', value: r?.leadAgency ?? undefined, choices: view.agencies.map((a) => ({ title: a.replace(/_/g, ' '), value: a })) }] : []),
      { type: 'Input.Text', id: `action_${n}`, label: 'Action (optional)', maxLength: FORM_LIMITS.action },
      ...(view.owners.length ? [{ type: 'Input.ChoiceSet', id: `owner_${n}`, label: 'Action owner', style: 'compact', choices: view.owners.map((o) => ({ title: o.name, value: o.workerId })) }] : []),
      { type: 'Input.Date', id: `due_${n}`, label: 'Action due', min: dates.min, max: dates.max },
      { type: 'Input.Date', id: `review_${n}`, label: 'Next review', min: dates.min, max: dates.max, value: r?.nextReview ?? undefined },
      { type: 'Input.Text', id: `notes_${n}`, label: 'Notes', isMultiline: true, maxLength: FORM_LIMITS.notes, value: r?.notes ? r.notes.slice(0, FORM_LIMITS.notes) : undefined },
      ...item.carriedActions.map((a, k) => ({ type: 'Input.ChoiceSet', id: `carried_${n}_${k + 1}`, label: plainText(clipped(`Open action: ${a.text}`, LINE_MAX)), style: 'compact', choices: choices(CARRIED_OUTCOMES, CARRIED_WORDS) })),
    ],
    actions: [{ type: 'Action.Execute', title: 'Save', verb: MEETING_VERBS.record, data: { meetingId: view.meetingId, itemId: item.itemId, version: item.version, page: view.page } }],
  };
}

function itemBlock(item: MeetingItemView, view: MeetingPageView) {
  return {
    type: 'Container',
    separator: true,
    spacing: 'Large',
    items: [
      text(plainText(`${item.personId}: ${SECTION_TITLES[item.section]} (item ${item.number})`), { weight: 'Bolder' }),
      text(plainText(`Band ${item.band}; score trend ${item.trend}`), { isSubtle: true, spacing: 'None' }),
      ...(item.chanceIn100 === null ? [] : [text(chanceSentence(item.chanceIn100), { spacing: 'Small' })]),
      ...(item.requestedBy.length ? [text(plainText(`Review requested by ${item.requestedBy.join('; ')}`), { spacing: 'Small', color: 'Attention' })] : []),
      heading('Why this child is shown'),
      ...item.reasonLines.map(bullet),
      heading('Agencies and lead professionals'),
      ...(item.agencies.length ? item.agencies.map(bullet) : [text('No open involvement recorded.', { spacing: 'Small' })]),
      ...(item.updates?.length ? [heading('Updates from lead professionals'), ...item.updates.map(bullet)] : []),
      ...(item.lastDecision ? [heading('Last meeting'), text(plainText(item.lastDecision), { spacing: 'Small' }), ...item.carriedActions.map((a) => bullet(`Open action: ${a.text}`))] : []),
      ...(item.recorded ? recordedLines(item.recorded, item.actions) : []),
      { type: 'ActionSet', actions: [{ type: 'Action.ShowCard', title: `Record ${item.number}`, card: recordForm(item, view) }] },
    ],
  };
}

/** One page of the agenda: up to ITEMS_PER_PAGE children, each with its record form. */
export function meetingPageCard(view: MeetingPageView): AdaptiveCardJson {
  return checked('meeting agenda page', {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      text(`Meeting ${view.meetingDate}: agenda card ${view.page} of ${view.pages}`, { size: 'Medium', weight: 'Bolder' }),
      ...(view.banner ? [text(plainText(view.banner), { color: 'Attention', weight: 'Bolder' })] : []),
      // Updates from lead professionals and other members' recordings arrive after the card was posted.
      {
        type: 'ActionSet',
        actions: [
          { type: 'Action.Execute', title: 'Refresh', verb: MEETING_VERBS.refresh, data: { meetingId: view.meetingId, page: view.page } },
          { type: 'Action.Execute', title: 'Police view (only you)', verb: MEETING_VERBS.policeView, data: { meetingId: view.meetingId, page: view.page } },
        ],
      },
      ...view.items.map((item) => itemBlock(item, view)),
      text(DECISION_SUPPORT_STATEMENT, { size: 'Small', isSubtle: true, spacing: 'Medium' }),
    ],
  });
}
