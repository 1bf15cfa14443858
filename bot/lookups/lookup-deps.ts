import { dayOf, isoOf } from '../../domain/days.js';

import type { TfdDb } from '../../db/database.js';
import type { AuditActor } from '../../db/repositories/access-audit.js';
import type { Caller } from '../../domain/roles.js';
import type { MeetingJobs } from '../../domain/meeting.js';
import type { ChatRosterCache } from './chat-roster.js';
import type { MeetingDateWindow } from '../../domain/meeting-dates.js';

/** What the lookups need from the outside world: the TFD and a clock. */
export interface LookupDeps {
  readonly db: TfdDb;
  readonly now: () => Date;
  /** Where a new agenda's update requests are queued (absent: lead professionals are not asked). */
  readonly meetingJobs?: MeetingJobs;
  /** Chats' rosters read recently (createApp makes one when absent). */
  readonly rosters?: ChatRosterCache;
  /** Which dates a meeting may have around the latest run. @defaultValue DEFAULT_MEETING_DATE_WINDOW (domain/meeting-dates.ts) */
  readonly meetingDates?: MeetingDateWindow;
  /** Where a failed card action is logged, under the reference its presser is shown. @defaultValue console.error */
  readonly log?: (line: string) => void;
}

/** Who is asking and from where, as the channel (Teams today) presents it. */
export interface Requester {
  readonly aadObjectId: string | null;
  /** Conversation type and id, for the audit. */
  readonly channel: string;
  /** Teams' conversation type: `personal` (the caller's 1:1 chat with the app), `groupChat` or `channel`. */
  readonly conversationType: string;
}

/** Whether the caller alone reads the answer: only a 1:1 chat with the app is private. */
export const isPrivateChat = (requester: Requester): boolean => requester.conversationType === 'personal';

const PLACES: Record<string, string> = { groupChat: 'group chat', channel: 'team channel' };

/** The conversation in words: "group chat", "team channel". */
export const placeOf = (requester: Requester): string => PLACES[requester.conversationType] ?? `${requester.conversationType || 'unknown'} conversation`;

/** Who read an answer, for the audit's `shown`. */
export const audienceOf = (requester: Requester): string => (isPrivateChat(requester) ? 'to the caller alone (1:1 chat)' : `to every member of the ${placeOf(requester)}`);

/**
 * The audit's "why" for a lookup refused because it was asked where others
 * read the answer: nothing was shown, and the chat is named in `channel`.
 */
export const sharedChatBasis = (command: string, requester: Requester): string =>
  `asked in a ${placeOf(requester)}, where every member would read the answer: ${command} answers only in the caller's 1:1 chat; nothing shown to the chat`;

/** The audit's "who" for a request: the Entra id as presented, and the staff record it mapped to, if any. */
export const actorOf = (requester: Requester, caller: Caller | null): AuditActor => ({ aadObjectId: requester.aadObjectId, workerId: caller?.workerId ?? null, role: caller?.role ?? null });

/** The audit's "why" when the caller is not in `staff`. */
export const unknownCallerBasis = (requester: Requester): string => `unknown caller: Entra object id ${requester.aadObjectId ?? '(none on the activity)'} is not in the staff list`;

/** A score as cards show it: a whole number, or a dash when there is none. */
export const scoreText = (n: number | null): string => (n === null ? '—' : String(Math.round(n)));

export const today = (deps: LookupDeps) => deps.now().toISOString().slice(0, 10);

/** A stored date or timestamp as `YYYY-MM-DD`: ISO text on SQLite, a Date through tedious on SQL Server. */
export const isoDay = (value: unknown): string => (value ? isoOf(dayOf(value as string | Date)) : '');

/** A stored timestamp as `YYYY-MM-DD HH:MM` (UTC). */
export const isoMinute = (value: unknown): string => (value instanceof Date ? value.toISOString() : value ? String(value) : '').slice(0, 16).replace('T', ' ');
