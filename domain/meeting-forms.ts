import { z } from 'zod';
import { parseIsoDate } from './dates.js';
import { dayOf, isoOf } from './days.js';
import { CARRIED_OUTCOMES, DECISIONS, OUTCOMES, RAG_RATINGS } from './meeting.js';

/**
 * What the meeting's cards accept, checked again on the server: a card's
 * maxLength, choices and date pickers are only the client's, and an
 * Action.Execute can carry anything. The card builders read their limits
 * from here, so the card and the check cannot drift apart.
 */
export const FORM_LIMITS = {
  /** An action agreed at the meeting. */
  action: 300,
  notes: 1000,
  /** A lead professional's update before the meeting. */
  update: 500,
  /** What is blocking an action, on its reminder. */
  blockedReason: 300,
} as const;

/** An action's due date and the next review lie from the meeting's date to this many days after it. */
export const FOLLOW_UP_DAYS = 366;

/** The dates a record form's date pickers offer for a meeting on `meetingDate`. */
export function followUpRange(meetingDate: string): { readonly min: string; readonly max: string } {
  const day = dayOf(meetingDate.slice(0, 10));
  return { min: isoOf(day), max: isoOf(day + FOLLOW_UP_DAYS) };
}

const meetingId = z.string().min(1).max(200);

/** Save under "Record N": the card names the meeting, the item and the version it showed. */
export const recordPayload = z.object({ meetingId, itemId: z.string().min(1).max(300), version: z.coerce.number().int().min(1).max(1_000_000) }).passthrough();
/** "I am here" / "Send apologies". */
export const attendancePayload = z.object({ meetingId, attendance: z.enum(['present', 'apologies']) });
/** Refresh and Police view on an agenda card. */
export const pagePayload = z.object({ meetingId, page: z.coerce.number().int().min(1).max(1000) });
/** "Send to the meeting" on a lead professional's update request. */
export const updatePayload = z.object({ meetingId, updateIds: z.array(z.string().min(1).max(300)).min(1).max(60) }).passthrough();
/** Done or Blocked on an action reminder. */
export const actionPayload = z.object({ actionId: z.string().min(1).max(200), shown: z.array(z.string().min(1).max(200)).max(100).optional() }).passthrough();

/** A text input as Teams sends it: absent or blank is "not given"; anything but a string is refused. */
const NOT_TEXT = 'must be text';
const input = z.unknown().transform((v, ctx): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: NOT_TEXT });
    return undefined;
  }
  return v.trim() === '' ? undefined : v.trim();
});
const choice = (values: readonly string[], message: string) => input.refine((v) => v === undefined || values.includes(v), { message });
const longerThan = (what: string, max: number) => `${what} ${what.endsWith('s') ? 'are' : 'is'} longer than ${max.toLocaleString('en-GB')} characters`;
const dateIn = (range: { min: string; max: string }) => (v: string) => {
  const parsed = parseIsoDate(v);
  return parsed.ok && /^\d{4}-\d{2}-\d{2}$/.test(v) && parsed.value >= range.min && parsed.value <= range.max;
};

/** What a record form is checked against: the meeting's members, the agencies the card offered, the meeting's date, the actions carried onto the item. */
export interface RecordFormContext {
  readonly owners: ReadonlySet<string>;
  readonly agencies: readonly string[];
  readonly meetingDate: string;
  readonly carriedCount: number;
}

/** A record form, read and checked: what to save. */
export interface RecordForm {
  readonly rag: string | null;
  readonly decision: string;
  readonly outcome: string | null;
  readonly lead: string | null;
  readonly action: string | null;
  readonly owner: string | null;
  readonly due: string | null;
  readonly review: string | null;
  readonly notes: string | null;
  /** What became of carried action k (1-based), if the form says. */
  readonly carried: readonly (string | null)[];
}

/** The record form of one item: every field the card limits, limited here too. */
export function recordFormSchema(context: RecordFormContext) {
  const range = followUpRange(context.meetingDate);
  const inRange = dateIn(range);
  return z
    .object({
      carried: z.array(choice(CARRIED_OUTCOMES, 'choose done, circumstances changed or not done')),
      decision: input.refine((v) => v !== undefined && (DECISIONS as readonly string[]).includes(v), { message: 'choose a decision' }),
      rag: choice(RAG_RATINGS, 'the RAG rating must be red, amber or green'),
      outcome: choice(OUTCOMES, 'the outcome is not one the card offers'),
      lead: choice(context.agencies, 'the lead agency must be one of the agencies the card offers'),
      review: input.refine((v) => v === undefined || inRange(v), { message: `the next review must be a date from ${range.min} to ${range.max}` }),
      notes: input.refine((v) => v === undefined || v.length <= FORM_LIMITS.notes, { message: longerThan('the notes', FORM_LIMITS.notes) }),
      action: input.refine((v) => v === undefined || v.length <= FORM_LIMITS.action, { message: longerThan('the action', FORM_LIMITS.action) }),
      owner: input,
      due: input,
    })
    .superRefine((form, ctx) => {
      if (form.action === undefined) return;
      if (!form.owner || !context.owners.has(form.owner)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['owner'], message: 'an action needs an owner from the meeting’s members' });
      if (!form.due || !/^\d{4}-\d{2}-\d{2}$/.test(form.due)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['due'], message: 'an action needs a due date' });
      else if (!inRange(form.due)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['due'], message: `an action's due date must be from ${range.min} to ${range.max}` });
    });
}

/**
 * Reads the record form of item `n` from an Action.Execute's data (Teams
 * merges every input on the card into it; input ids carry the item's
 * number). Either the form to save or the problems, in words the recorder
 * can act on.
 */
export function readRecordForm(data: Readonly<Record<string, unknown>>, n: number, context: RecordFormContext): { readonly ok: true; readonly form: RecordForm } | { readonly ok: false; readonly problems: readonly string[] } {
  const field = (name: string) => data[`${name}_${n}`];
  const raw = {
    carried: Array.from({ length: context.carriedCount }, (_, k) => data[`carried_${n}_${k + 1}`]),
    decision: field('decision'),
    rag: field('rag'),
    outcome: field('outcome'),
    lead: field('lead'),
    review: field('review'),
    notes: field('notes'),
    action: field('action'),
    owner: field('owner'),
    due: field('due'),
  };
  const parsed = recordFormSchema(context).safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => (i.path[0] === 'carried' ? `open action ${Number(i.path[1]) + 1}: ${i.message}` : i.message === NOT_TEXT ? `${String(i.path[0])} ${NOT_TEXT}` : i.message));
    return { ok: false, problems: [...new Set(problems)] };
  }
  const f = parsed.data;
  const has = f.action !== undefined;
  return {
    ok: true,
    form: { rag: f.rag ?? null, decision: f.decision!, outcome: f.outcome ?? null, lead: f.lead ?? null, action: f.action ?? null, owner: has ? f.owner! : null, due: has ? f.due! : null, review: f.review ?? null, notes: f.notes ?? null, carried: f.carried.map((c) => c ?? null) },
  };
}

/** A lead professional's answer in update box k: at most FORM_LIMITS.update characters (refused, never cut short). */
export const updateAnswer = input.refine((v) => v === undefined || v.length <= FORM_LIMITS.update, { message: `an update is at most ${FORM_LIMITS.update} characters` });

/** What is blocking an action: required, at most FORM_LIMITS.blockedReason characters. */
export const blockedReason = input.refine((v) => v !== undefined, { message: 'Say briefly what is blocking it' }).refine((v) => v === undefined || v.length <= FORM_LIMITS.blockedReason, { message: `Say what is blocking it in at most ${FORM_LIMITS.blockedReason} characters` });
