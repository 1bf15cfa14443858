import { parseIsoDate } from './dates.js';
import { dayOf, isoOf } from './days.js';

/**
 * Which dates a meeting may have: a window around the latest published run's
 * as-of date (the data the agenda is drawn from). Earlier, the agenda would
 * speak for a meeting long past; later, a far-future meeting would stand as
 * "the latest" for `meeting close` and the minutes, and its labels would sit
 * where no data is.
 */
export interface MeetingDateWindow {
  /** Days before the run's as-of date a meeting may be dated. @defaultValue 90 */
  readonly daysBeforeRun: number;
  /** Days after the run's as-of date a meeting may be dated (schedules are set about a year ahead, and imports can lag). @defaultValue 548 */
  readonly daysAfterRun: number;
}

export const DEFAULT_MEETING_DATE_WINDOW: MeetingDateWindow = { daysBeforeRun: 90, daysAfterRun: 548 };

/** The first and last meeting dates allowed for a run as of `runAsOf`. */
export function meetingDateRange(runAsOf: string, window: MeetingDateWindow = DEFAULT_MEETING_DATE_WINDOW): { readonly from: string; readonly to: string } {
  const asOf = dayOf(runAsOf.slice(0, 10));
  return { from: isoOf(asOf - window.daysBeforeRun), to: isoOf(asOf + window.daysAfterRun) };
}

export type MeetingDateCheck = { readonly ok: true; readonly date: string } | { readonly ok: false; readonly reason: string };

/** A meeting date as typed: a real calendar date inside the window of the latest run, or why not (in words a chair can act on). */
export function checkMeetingDate(raw: string, runAsOf: string, window: MeetingDateWindow = DEFAULT_MEETING_DATE_WINDOW): MeetingDateCheck {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { ok: false, reason: 'it is not a date (YYYY-MM-DD)' };
  const { from, to } = meetingDateRange(runAsOf, window);
  const parsed = parseIsoDate(raw);
  if (raw < from || raw > to) return { ok: false, reason: `a meeting is dated from ${from} to ${to}: ${window.daysBeforeRun} days before to ${window.daysAfterRun} days after the latest run's data (${runAsOf.slice(0, 10)})` };
  if (!parsed.ok) return { ok: false, reason: 'it is not a real calendar date' };
  return { ok: true, date: parsed.value };
}

/** Whether a stored meeting's date lies in the window (older rows may not: they never count as "the latest"). */
export const withinMeetingWindow = (meetingDate: string, runAsOf: string, window: MeetingDateWindow = DEFAULT_MEETING_DATE_WINDOW): boolean => {
  const { from, to } = meetingDateRange(runAsOf, window);
  const day = meetingDate.slice(0, 10);
  return day >= from && day <= to;
};
