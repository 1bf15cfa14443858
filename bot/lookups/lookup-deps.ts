import { dayOf, isoOf } from '../../domain/days.js';

import type { Kysely } from 'kysely';
import type { AuditActor } from '../../db/repositories/access-audit.js';
import type { Caller } from '../../domain/roles.js';
import type { MeetingJobs } from '../../domain/meeting.js';
import type { Database } from '../../db/schema/database-schema.js';
import type { ChatRosterCache } from './chat-roster.js';
import type { MeetingDateWindow } from '../../domain/meeting-dates.js';

/** What the lookups need from the outside world: the TFD and a clock. */
export interface LookupDeps {
  readonly db: Kysely<Database>;
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
}

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
