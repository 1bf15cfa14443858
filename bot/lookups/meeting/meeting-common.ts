import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import type { Meeting } from '../../../domain/meeting-record.js';
import type { Caller } from '../../../domain/roles.js';
import { ITEMS_PER_PAGE, type MeetingHeaderView, type MeetingPageView } from '../../../cards/meeting-card.js';
import { actorOf, type LookupDeps, type Requester } from '../lookup-deps.js';
import type { Notice } from '../notices.js';

export interface MeetingChat {
  readonly id: string;
  readonly type: string;
}

export type CardOutcome =
  | { readonly kind: 'notice'; readonly notice: Notice }
  /** The card to return, and the chat message it replaces for everyone (null: none posted). */
  | { readonly kind: 'header'; readonly view: MeetingHeaderView; readonly activityId: string | null }
  | { readonly kind: 'page'; readonly view: MeetingPageView; readonly activityId: string | null };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const validDay = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/** Agency codes as people read them (`social_care` → social care). */
export const agencyWords = (agency: string) => agency.replace(/_/g, ' ');

export const meetingNotice = (title: string, text: string, tone: Notice['tone'] = 'default'): Notice => ({ title, text, tone });

export const OUT_OF_DATE: CardOutcome = { kind: 'notice', notice: meetingNotice('That card is out of date', 'Type `meeting new` in this chat to show the agenda again.') };

export const pageCount = (items: number) => Math.max(1, Math.ceil(items / ITEMS_PER_PAGE));

/** The items of one agenda card (page counts from 1). */
export const pageOf = <T>(items: readonly T[], page: number): T[] => items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);

export const CLOSED_NOTICE = (meeting: Meeting): Notice =>
  meetingNotice('This meeting is closed', `The meeting of ${meeting.meetingDate} was closed by its chair and its minutes are final. Record outcomes at the next meeting (\`meeting new\`).`);

/** Refuses with a notice and writes the refusal to the audit. */
export async function refuse(deps: LookupDeps, requester: Requester, caller: Caller | null, action: string, notice: Notice, basis: string): Promise<{ kind: 'notice'; notice: Notice }> {
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action, personId: null, outcome: 'refused', basis, shown: 'no child named', runId: null, channel: requester.channel }], deps.now());
  return { kind: 'notice', notice };
}
