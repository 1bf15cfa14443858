import { z } from 'zod';
import type { MeetingItemRow, MeetingRow } from '../../db/schema/database-schema.js';
import * as q from '../../db/queries/meeting-queries.js';
import { createMeeting } from '../../db/repositories/meetings.js';
import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { decideMeetingDisclosure, GROUP_CHAT_VIEW, involvementForReader, reasonsForReader, seesPoliceOnly, type ChatMember } from '../../domain/access-policy.js';
import { activeTopazMarkersOf } from '../../db/queries/lookup-queries.js';
import { AGENDA_SECTIONS, CARRIED_OUTCOMES, DECISIONS, DECISION_WORDS, MEETING_ROLES, OUTCOMES, RAG_RATINGS, type AgendaSection } from '../../domain/meeting.js';
import type { AgendaItem } from '../../domain/meeting-agenda.js';
import { aadSpellings } from '../../domain/person-id.js';
import { isStaffRole, type Caller, type StaffRole } from '../../domain/roles.js';
import { ITEMS_PER_PAGE, type MeetingHeaderView, type MeetingItemView, type MeetingPageView } from '../../cards/meeting-card.js';
import type { UpdateRequestView } from '../../cards/update-card.js';
import { actorOf, isoDay, isoMinute, today, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { mentionThen, notices, type Notice } from './notices.js';
import { resolveCaller } from './resolve-caller.js';

/** A member of a chat as Teams lists them. */
export interface RosterMember {
  readonly aadObjectId: string | null;
  readonly name: string;
}

export interface MeetingChat {
  readonly id: string;
  readonly type: string;
}

export type AgendaOutcome =
  | { readonly kind: 'notice'; readonly notice: Notice }
  | { readonly kind: 'agenda'; readonly meetingId: string; readonly created: boolean; readonly drawnAt: string; readonly chairWorkerId: string; readonly header: MeetingHeaderView; readonly pages: readonly { readonly view: MeetingPageView; readonly itemIds: readonly string[] }[] };

export type CardOutcome =
  | { readonly kind: 'notice'; readonly notice: Notice }
  /** The card to return, and the chat message it replaces for everyone (null: none posted). */
  | { readonly kind: 'header'; readonly view: MeetingHeaderView; readonly activityId: string | null }
  | { readonly kind: 'page'; readonly view: MeetingPageView; readonly activityId: string | null };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const stamp = (now: Date) => now.toISOString().slice(0, 19);
/** Agency codes as people read them (`social_care` → social care). */
const agencyWords = (agency: string) => agency.replace(/_/g, ' ');

const meetingNotice = (title: string, text: string, tone: Notice['tone'] = 'default'): Notice => ({ title, text, tone });

/** Refuses with a notice and writes the refusal to the audit. */
async function refuse(deps: LookupDeps, requester: Requester, caller: Caller | null, action: string, notice: Notice, basis: string): Promise<{ kind: 'notice'; notice: Notice }> {
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action, personId: null, outcome: 'refused', basis, shown: 'no child named', runId: null, channel: requester.channel }], deps.now());
  return { kind: 'notice', notice };
}

/**
 * `meeting new [date]` from a chair in the meeting's group chat: every chat
 * member must be registered staff with a meeting role before any child is
 * named (domain/access-policy decides); then the agenda is drawn (or the
 * one already drawn for that date is shown again) and each child shown is
 * audited against the chat.
 */
export async function drawAgenda(deps: LookupDeps, requester: Requester, chat: MeetingChat, roster: readonly RosterMember[] | { readonly error: string }, dateArg: string): Promise<AgendaOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, 'meeting_agenda', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  if (caller.role !== 'chair') return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('Only a meeting chair can draw the agenda', `Ask the chair of the victim-list meeting to ${mentionThen('meeting new')} in the meeting’s chat.`), `${caller.role} may not draw an agenda`);
  if (chat.type === 'personal') return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('Use the meeting’s chat', `In the group chat (or channel) where the meeting is held, with the app added, ${mentionThen('meeting new')}, so the agenda goes to its members.`), 'asked in a personal chat');
  const date = dateArg.trim() || today(deps);
  if (!validDay(date)) return { kind: 'notice', notice: meetingNotice('Which date?', `“${dateArg.trim()}” is not a date. ${mentionThen('meeting new')} for today, or \`meeting new 2026-12-14\`.`) };
  if (!Array.isArray(roster) || roster.length === 0) {
    const why = Array.isArray(roster) ? 'Teams listed no members' : `reading it failed: ${(roster as { error: string }).error}`;
    return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('I could not read who is in this chat', 'The agenda names children, so I show it only after checking every member of the chat. Teams did not give me the list of members; try again in a minute. No child was named.', 'attention'), `the chat roster could not be read (${why})`);
  }
  const members = roster as readonly RosterMember[];
  const staff = await q.staffByEntraIds(deps.db, members.flatMap((m) => (m.aadObjectId ? aadSpellings(m.aadObjectId) : []))).execute();
  const byEntra = new Map(staff.map((s) => [s.aad_object_id!.toLowerCase(), s]));
  const matched = members.map((m) => ({ member: m, staff: m.aadObjectId ? byEntra.get(m.aadObjectId.toLowerCase()) : undefined }));
  const chatMembers: ChatMember[] = matched.map(({ member, staff: s }) => ({ name: member.name, role: s && isStaffRole(s.role) ? s.role : null }));
  const decision = decideMeetingDisclosure(chatMembers);
  if (!decision.allowed) {
    return refuse(
      deps,
      requester,
      caller,
      'meeting_agenda',
      meetingNotice('I cannot show the agenda in this chat', `Everything posted here is seen by every member, so the agenda names children only when every member is registered staff with a meeting role. Not so here: ${decision.blockers.join('; ')}. Remove them from the chat, or ask your Think Family administrator to register them, then ${mentionThen('meeting new')} again. No child was named.`, 'attention'),
      decision.basis,
    );
  }
  const drawn = await createMeeting(deps.db, { meetingDate: date, createdBy: caller.workerId, chairWorkerId: caller.workerId, conversationId: chat.id, now: deps.now() });
  if (drawn.meeting.conversation_id && drawn.meeting.conversation_id !== chat.id) {
    return refuse(deps, requester, caller, 'meeting_agenda', meetingNotice('This meeting is held in another chat', `The agenda of the meeting on ${date} was posted in another chat; its cards and minutes stay there.`), `meeting ${drawn.meeting.meeting_id} belongs to another chat`);
  }
  if (!drawn.meeting.conversation_id) await q.setMeetingChat(deps.db, drawn.meeting.meeting_id, chat.id).execute();
  // Every member is invited; an earlier "present" or "apologies" is kept.
  const known = new Set((await q.attendanceOf(deps.db, drawn.meeting.meeting_id).execute()).map((a) => a.worker_id));
  for (const { staff: s } of matched) if (s && !known.has(s.worker_id)) await q.insertAttendance(deps.db, { meeting_id: drawn.meeting.meeting_id, worker_id: s.worker_id, agency: s.agency, attendance: 'invited' }).execute();
  const meeting = { ...drawn.meeting, conversation_id: chat.id };
  const items = drawn.items;
  await appendAccessAudit(
    deps.db,
    items.map((i) => {
      const item = JSON.parse(i.detail) as AgendaItem;
      return { actor: actorOf(requester, caller), action: 'meeting_agenda', personId: i.person_id, outcome: 'allowed' as const, basis: `on the agenda of ${meeting.meeting_id}; ${decision.basis}`, shown: [`band ${item.band}`, ...reasonsForReader(GROUP_CHAT_VIEW, item.reasonItems).shownCodes].join('; '), runId: meeting.run_id, channel: requester.channel };
    }),
    deps.now(),
  );
  const pages = pageCount(items.length);
  const views = [];
  for (let p = 1; p <= pages; p++) {
    const slice = items.slice((p - 1) * ITEMS_PER_PAGE, p * ITEMS_PER_PAGE);
    views.push({ view: await pageView(deps, meeting, slice, p, pages), itemIds: slice.map((i) => i.item_id) });
  }
  return { kind: 'agenda', meetingId: meeting.meeting_id, created: drawn.created, drawnAt: String(meeting.created_at), chairWorkerId: caller.workerId, header: await headerView(deps, meeting, items), pages: views };
}

const pageCount = (items: number) => Math.max(1, Math.ceil(items / ITEMS_PER_PAGE));

async function headerView(deps: LookupDeps, meeting: MeetingRow, items: readonly MeetingItemRow[]): Promise<MeetingHeaderView> {
  const counts = Object.fromEntries(AGENDA_SECTIONS.map((s) => [s, items.filter((i) => i.section === s).length])) as Record<AgendaSection, number>;
  const attendance = await q.attendanceOf(deps.db, meeting.meeting_id).execute();
  const named = (a: (typeof attendance)[number]) => `${a.display_name ?? a.worker_id}${a.agency ? ` (${agencyWords(a.agency)})` : ''}`;
  const chair = meeting.chair_worker_id ? ((await q.staffNamesOf(deps.db, [meeting.chair_worker_id]).executeTakeFirst())?.display_name ?? meeting.chair_worker_id) : null;
  return {
    meetingId: meeting.meeting_id,
    meetingDate: isoDay(meeting.meeting_date),
    runId: meeting.run_id,
    chair,
    counts,
    pages: pageCount(items.length),
    present: attendance.filter((a) => a.attendance === 'present').map(named),
    apologies: attendance.filter((a) => a.attendance === 'apologies').map(named),
  };
}

/** One agenda card as the chat may see it: the group-chat view of reasons and involvements (police-only facts neutralised). */
async function pageView(deps: LookupDeps, meeting: MeetingRow, items: readonly MeetingItemRow[], page: number, pages: number, banner?: string, reader: StaffRole = GROUP_CHAT_VIEW): Promise<MeetingPageView> {
  const attendance = await q.attendanceOf(deps.db, meeting.meeting_id).execute();
  const actions = await q.actionsOfMeeting(deps.db, meeting.meeting_id).execute();
  const workerIds = [...new Set([...actions.map((a) => a.owner_worker_id), ...items.flatMap((i) => (i.recorded_by ? [i.recorded_by] : [])), ...items.flatMap((i) => (JSON.parse(i.detail) as AgendaItem).lastDecision?.openActions.map((a) => a.owner) ?? [])])];
  const names = new Map((workerIds.length ? await q.staffNamesOf(deps.db, workerIds).execute() : []).map((s) => [s.worker_id, s.display_name]));
  const nameOf = (w: string) => names.get(w) ?? w;
  const updates = items.length ? await q.updatesOfItems(deps.db, items.map((i) => i.item_id)).execute() : [];
  // Police roles, privately: the active Topaz markers on the meeting date too.
  const police = new Map<string, string[]>();
  if (seesPoliceOnly(reader)) {
    for (const row of items) {
      const markers = await activeTopazMarkersOf(deps.db, row.person_id, isoDay(meeting.meeting_date)).execute();
      if (markers.length) police.set(row.person_id, markers.map((m) => `Op Topaz ${m.marker} marker since ${isoDay(m.start_date)}${m.note ? `: ${m.note}` : ''}`));
    }
  }
  // Carried actions as they stand now (the agenda kept them as they were when it was drawn).
  const carriedIds = items.flatMap((i) => (JSON.parse(i.detail) as AgendaItem).lastDecision?.openActions.map((a) => a.actionId) ?? []);
  const currentStatus = new Map((carriedIds.length ? await q.actionsWithMeeting(deps.db, carriedIds).execute() : []).map((a) => [a.action_id, a.status]));
  const views: MeetingItemView[] = items.map((row) => {
    const item = JSON.parse(row.detail) as AgendaItem;
    const last = item.lastDecision;
    return {
      itemId: row.item_id,
      personId: row.person_id,
      number: row.position + 1,
      section: row.section as AgendaSection,
      version: row.version,
      band: item.band,
      chanceIn100: item.chanceIn100,
      trend: item.trend.length ? item.trend.map((t) => `${Math.round(t.finalScore)} (${t.band})`).join(' → ') : 'first run',
      reasonLines: [...reasonsForReader(reader, item.reasonItems).lines, ...(police.get(row.person_id) ?? [])],
      agencies: item.involvements.map((i) => involvementForReader(reader, i)).map((i) => [agencyWords(i.agency), i.role, i.worker].filter(Boolean).join(': ')),
      lastDecision: last ? `${last.meetingDate}: ${last.decision ? DECISION_WORDS[last.decision] : 'no decision recorded'}${last.rag ? `; RAG ${last.rag}` : ''}${last.leadAgency ? `; lead ${agencyWords(last.leadAgency)}` : ''}` : null,
      carriedActions: last?.openActions.map((a) => ({ actionId: a.actionId, text: `${a.description} (${nameOf(a.owner)}, due ${isoDay(a.due)}, ${currentStatus.get(a.actionId) ?? a.status})` })) ?? [],
      requestedBy: item.requestedBy.map((r) => `${r.by} (${isoMinute(r.at)})`),
      recorded: row.recorded_by
        ? { rag: row.rag, decision: row.decision, outcome: row.outcome, leadAgency: row.lead_agency, nextReview: row.next_review ? isoDay(row.next_review) : null, notes: row.notes, by: nameOf(row.recorded_by), at: isoMinute(row.recorded_at) }
        : null,
      actions: actions.filter((a) => a.item_id === row.item_id).map((a) => `${a.description} (${nameOf(a.owner_worker_id)}, due ${isoDay(a.due_date)}, ${a.status})`),
      updates: updates.filter((u) => u.item_id === row.item_id).map((u) => `${u.display_name ?? u.worker_id}${u.agency ? ` (${agencyWords(u.agency)})` : ''}, ${isoMinute(u.answered_at)}: ${u.text ?? ''}`),
    };
  });
  const present = attendance.filter((a) => a.attendance !== 'apologies');
  const agencies = [...new Set([...present.flatMap((a) => (a.agency ? [a.agency] : [])), ...items.flatMap((row) => (JSON.parse(row.detail) as AgendaItem).involvements.map((i) => i.agency))])].sort();
  return {
    meetingId: meeting.meeting_id,
    meetingDate: isoDay(meeting.meeting_date),
    page,
    pages,
    items: views,
    owners: present.map((a) => ({ workerId: a.worker_id, name: `${a.display_name ?? a.worker_id}${a.agency ? ` (${agencyWords(a.agency)})` : ''}` })),
    agencies,
    ...(banner ? { banner } : {}),
  };
}

const recordData = z.object({ meetingId: z.string().min(1).max(64), itemId: z.string().min(1).max(200), version: z.coerce.number().int().min(1) }).passthrough();
const attendanceData = z.object({ meetingId: z.string().min(1).max(64), attendance: z.enum(['present', 'apologies']) });

/** The caller, if they may act on this meeting from this chat (a meeting role, invited, in the meeting's own chat). */
async function memberOf(deps: LookupDeps, requester: Requester, chatId: string, meetingId: string, action: string): Promise<{ caller: Caller; meeting: MeetingRow } | { kind: 'notice'; notice: Notice }> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, action, notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const meeting = await q.meetingById(deps.db, meetingId).executeTakeFirst();
  if (!meeting || meeting.conversation_id !== chatId) return refuse(deps, requester, caller, action, meetingNotice('Not this chat’s meeting', 'This card belongs to a meeting held in another chat.'), `meeting ${meetingId} is not held in this chat`);
  const invited = (await q.attendanceOf(deps.db, meetingId).execute()).some((a) => a.worker_id === caller.workerId);
  if (!MEETING_ROLES.has(caller.role) || !invited) return refuse(deps, requester, caller, action, meetingNotice('Not a member of this meeting', 'Only the meeting’s members (staff with a meeting role in the chat when the agenda was drawn) can record here.'), `${caller.workerId} is not a member of ${meetingId}`);
  return { caller, meeting };
}

/** "I am here" / "Send apologies" on the agenda's first card. */
export async function markAttendance(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = attendanceData.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That button is out of date', `${mentionThen('meeting new')} in this chat to show the agenda again.`) };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_attendance');
  if ('kind' in member) return member;
  if (member.meeting.status === 'closed') return { kind: 'notice', notice: CLOSED_NOTICE(member.meeting) };
  await deps.db.transaction().execute(async (trx) => {
    await q.deleteAttendance(trx, parsed.data.meetingId, member.caller.workerId).execute();
    await q.insertAttendance(trx, { meeting_id: parsed.data.meetingId, worker_id: member.caller.workerId, agency: member.caller.agency, attendance: parsed.data.attendance }).execute();
  });
  const items = await q.itemsOfMeeting(deps.db, member.meeting.meeting_id).execute();
  return { kind: 'header', view: await headerView(deps, member.meeting, items), activityId: member.meeting.header_activity_id };
}

/**
 * "Police view (only you)" on an agenda card: for police roles only, the page
 * with every reason (police-only ones included), officers' involvements and
 * active Topaz markers, returned to the presser alone (no update of the chat's
 * card) and audited per child.
 */
export async function policePage(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = refreshData.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', `${mentionThen('meeting new')} in this chat to show the agenda again.`) };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_police_view');
  if ('kind' in member) return member;
  if (!seesPoliceOnly(member.caller.role)) return refuse(deps, requester, member.caller, 'meeting_police_view', meetingNotice('For police roles only', 'Police-only information is shown only to officers and analysts, privately. Nothing was shown.'), `${member.caller.role} may not see police-only information`);
  const items = await q.itemsOfMeeting(deps.db, member.meeting.meeting_id).execute();
  const pages = pageCount(items.length);
  const page = Math.min(parsed.data.page, pages);
  const slice = items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);
  const view = await pageView(deps, member.meeting, slice, page, pages, 'Police view, shown to you only: police-only reasons and Op Topaz markers included.', member.caller.role);
  await appendAccessAudit(
    deps.db,
    slice.map((i) => ({ actor: actorOf(requester, member.caller), action: 'meeting_police_view', personId: i.person_id, outcome: 'allowed' as const, basis: `${member.caller.role} in ${member.meeting.meeting_id}`, shown: reasonsForReader(member.caller.role, (JSON.parse(i.detail) as AgendaItem).reasonItems).shownCodes.join('; '), runId: member.meeting.run_id, channel: requester.channel })),
    deps.now(),
  );
  // Private: no activity to replace for everyone.
  return { kind: 'page', view, activityId: null };
}

const CLOSED_NOTICE = (meeting: MeetingRow): Notice =>
  meetingNotice('This meeting is closed', `The meeting of ${isoDay(meeting.meeting_date)} was closed by its chair and its minutes are final. Record outcomes at the next meeting (\`meeting new\`).`);

/**
 * `meeting close` from the chair in the meeting's chat: the latest meeting
 * held there stops taking recordings and its minutes become final. Audited.
 */
export async function closeMeetingInChat(deps: LookupDeps, requester: Requester, chatId: string): Promise<Notice> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return (await refuse(deps, requester, null, 'meeting_close', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester))).notice;
  if (caller.role !== 'chair') return (await refuse(deps, requester, caller, 'meeting_close', meetingNotice('Only a meeting chair can close the meeting', `Ask the chair to ${mentionThen('meeting close')} when the meeting ends.`), `${caller.role} may not close a meeting`)).notice;
  const meeting = await q.meetingsInChat(deps.db, chatId).executeTakeFirst();
  if (!meeting) return meetingNotice('No meeting in this chat', `${mentionThen('meeting new')} to draw an agenda first.`);
  if (meeting.status === 'closed') return CLOSED_NOTICE(meeting);
  await q.closeMeeting(deps.db, meeting.meeting_id).execute();
  const items = await q.itemsOfMeeting(deps.db, meeting.meeting_id).execute();
  await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'meeting_close', personId: null, outcome: 'processed', basis: `chair of ${meeting.meeting_id}`, shown: `${items.filter((i) => i.decision).length} of ${items.length} items decided`, runId: meeting.run_id, channel: requester.channel }], deps.now());
  return meetingNotice(`The meeting of ${isoDay(meeting.meeting_date)} is closed`, `${items.filter((i) => i.decision).length} of ${items.length} children have a recorded decision. The minutes are final: \`npm run cli -- meeting minutes --meeting ${meeting.meeting_id} --as <worker id> --out minutes/\`. Open actions are carried to the next meeting.`);
}

const refreshData = z.object({ meetingId: z.string().min(1).max(64), page: z.coerce.number().int().min(1).max(1000) });

/** "Refresh" on an agenda card: the page as it stands now (recordings, updates), for a member of the meeting. */
export async function refreshPage(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = refreshData.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', `${mentionThen('meeting new')} in this chat to show the agenda again.`) };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_refresh');
  if ('kind' in member) return member;
  const items = await q.itemsOfMeeting(deps.db, member.meeting.meeting_id).execute();
  const pages = pageCount(items.length);
  const page = Math.min(parsed.data.page, pages);
  const slice = items.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE);
  return { kind: 'page', view: await pageView(deps, member.meeting, slice, page, pages), activityId: slice[0]?.activity_id ?? null };
}

/** Reads the record form of item `n` from the action's data (Teams merges the card's inputs into it). */
function formOf(data: Record<string, unknown>, n: number) {
  const field = (name: string) => {
    const v = data[`${name}_${n}`];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  const carried = (k: number) => {
    const v = data[`carried_${n}_${k}`];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
  };
  return { rag: field('rag'), decision: field('decision'), outcome: field('outcome'), lead: field('lead'), action: field('action'), owner: field('owner'), due: field('due'), review: field('review'), notes: field('notes'), carried };
}

/** What is wrong with a record form, in words the recorder can act on (empty: nothing). */
function formProblems(form: ReturnType<typeof formOf>, owners: ReadonlySet<string>, carriedCount: number): string[] {
  const problems: string[] = [];
  for (let k = 1; k <= carriedCount; k++) {
    const v = form.carried(k);
    if (v && !(CARRIED_OUTCOMES as readonly string[]).includes(v)) problems.push(`open action ${k}: choose done, circumstances changed or not done`);
  }
  if (!form.decision || !(DECISIONS as readonly string[]).includes(form.decision)) problems.push('choose a decision');
  if (form.rag && !(RAG_RATINGS as readonly string[]).includes(form.rag)) problems.push('the RAG rating must be red, amber or green');
  if (form.outcome && !(OUTCOMES as readonly string[]).includes(form.outcome)) problems.push('the outcome is not one the card offers');
  if (form.lead && form.lead.length > 100) problems.push('the lead agency is longer than 100 characters');
  if (form.review && !validDay(form.review)) problems.push('the next review is not a date');
  if (form.notes && form.notes.length > 1000) problems.push('the notes are longer than 1,000 characters');
  if (form.action) {
    if (!form.owner || !owners.has(form.owner)) problems.push('an action needs an owner from the meeting’s members');
    if (!form.due || !validDay(form.due)) problems.push('an action needs a due date');
  }
  return problems;
}

/**
 * Saves what the meeting decided about one child, from the item's card. The
 * save applies only at the version the recorder's card showed: if someone
 * recorded the item since, nothing is saved and the card returned shows
 * their entry with a banner asking to check and record again.
 */
export async function recordOutcome(deps: LookupDeps, requester: Requester, chatId: string, data: unknown): Promise<CardOutcome> {
  const parsed = recordData.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', `${mentionThen('meeting new')} in this chat to show the agenda again.`) };
  const member = await memberOf(deps, requester, chatId, parsed.data.meetingId, 'meeting_record');
  if ('kind' in member) return member;
  if (member.meeting.status === 'closed') return { kind: 'notice', notice: CLOSED_NOTICE(member.meeting) };
  const { caller, meeting } = member;
  const row = await q.itemById(deps.db, parsed.data.itemId).executeTakeFirst();
  if (!row || row.meeting_id !== meeting.meeting_id) return { kind: 'notice', notice: meetingNotice('No such item', 'This card refers to an item that is not on the meeting’s agenda.') };
  const items = await q.itemsOfMeeting(deps.db, meeting.meeting_id).execute();
  const page = Math.floor(row.position / ITEMS_PER_PAGE) + 1;
  const pageItems = () => q.itemsOfMeeting(deps.db, meeting.meeting_id).execute().then((all) => all.slice((page - 1) * ITEMS_PER_PAGE, page * ITEMS_PER_PAGE));
  const answer = async (banner?: string): Promise<CardOutcome> => ({ kind: 'page', view: await pageView(deps, meeting, await pageItems(), page, pageCount(items.length), banner), activityId: row.activity_id });
  const owners = new Set((await q.attendanceOf(deps.db, meeting.meeting_id).execute()).filter((a) => a.attendance !== 'apologies').map((a) => a.worker_id));
  const form = formOf(parsed.data as Record<string, unknown>, row.position + 1);
  const carried = (JSON.parse(row.detail) as AgendaItem).lastDecision?.openActions ?? [];
  const problems = formProblems(form, owners, carried.length);
  if (problems.length) return answer(`Item ${row.position + 1} was not saved: ${problems.join('; ')}.`);
  const now = deps.now();
  const saved = await deps.db.transaction().execute(async (trx) => {
    const result = await q
      .recordItem(trx, row.item_id, parsed.data.version, { rag: form.rag, decision: form.decision, outcome: form.outcome, lead_agency: form.lead, next_review: form.review, notes: form.notes, recorded_by: caller.workerId, recorded_at: stamp(now) })
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return false;
    for (const [k, a] of carried.entries()) {
      const outcome = form.carried(k + 1);
      if (outcome) await q.setActionStatus(trx, a.actionId, outcome, caller.workerId, stamp(now)).execute();
    }
    if (form.action) {
      await q
        .insertAction(trx, { action_id: `${row.item_id}|${parsed.data.version}`, meeting_id: meeting.meeting_id, item_id: row.item_id, person_id: row.person_id, description: form.action, owner_worker_id: form.owner!, due_date: form.due!, status: 'open', created_by: caller.workerId, created_at: stamp(now), updated_by: null, updated_at: null, reminded_at: null })
        .execute();
    }
    return true;
  });
  if (!saved) {
    const current = await q.itemById(deps.db, row.item_id).executeTakeFirstOrThrow();
    const by = current.recorded_by ? ((await q.staffNamesOf(deps.db, [current.recorded_by]).executeTakeFirst())?.display_name ?? current.recorded_by) : 'someone';
    return answer(`Item ${row.position + 1} was not saved: ${by} recorded it at ${isoMinute(current.recorded_at)} UTC after your card was drawn. The card now shows their entry; check it and record again if needed.`);
  }
  await appendAccessAudit(
    deps.db,
    [{ actor: actorOf(requester, caller), action: 'meeting_record', personId: row.person_id, outcome: 'processed', basis: `member of ${meeting.meeting_id}`, shown: `decision ${form.decision}${form.outcome ? `; outcome ${form.outcome}` : ''}${form.action ? '; action added' : ''}`, runId: meeting.run_id, channel: requester.channel }],
    now,
  );
  return answer();
}

/** Stores the Teams activities the agenda's cards were posted as, so a recording can update them for everyone. */
export async function rememberAgendaActivities(deps: LookupDeps, meetingId: string, header: string | null, pages: readonly { readonly itemIds: readonly string[]; readonly activityId: string | null }[]): Promise<void> {
  if (header) await q.setHeaderActivity(deps.db, meetingId, header).execute();
  for (const p of pages) if (p.activityId && p.itemIds.length) await q.setItemsActivity(deps.db, [...p.itemIds], p.activityId).execute();
}

const updatePayload = z.object({ meetingId: z.string().min(1).max(64), updateIds: z.array(z.string().min(1).max(300)).min(1).max(60) }).passthrough();

export type UpdateOutcome = { readonly kind: 'updates'; readonly view: UpdateRequestView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * A lead professional's updates from their request card: only the person
 * asked may answer; each answer (at most 500 characters) is stored on the
 * item and audited; the card returns with what was sent.
 */
export async function recordUpdates(deps: LookupDeps, requester: Requester, data: unknown): Promise<UpdateOutcome> {
  const parsed = updatePayload.safeParse(data);
  if (!parsed.success) return { kind: 'notice', notice: meetingNotice('That card is out of date', 'It does not say which updates it holds.') };
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  if (!caller) return refuse(deps, requester, null, 'meeting_update', notices.unknownCaller(requester.aadObjectId), unknownCallerBasis(requester));
  const meeting = await q.meetingById(deps.db, parsed.data.meetingId).executeTakeFirst();
  const rows = (await Promise.all(parsed.data.updateIds.map((id) => q.updateById(deps.db, id).executeTakeFirst()))).filter((r) => r !== undefined);
  if (!meeting || rows.length === 0 || rows.some((r) => r.worker_id !== caller.workerId)) return refuse(deps, requester, caller, 'meeting_update', meetingNotice('Not your request', 'This card asked someone else for updates. Nothing was recorded.'), `${caller.workerId} was not asked for these updates`);
  const inputs = parsed.data as Record<string, unknown>;
  const now = deps.now();
  const answered: { personId: string; text: string }[] = [];
  for (const [k, id] of parsed.data.updateIds.entries()) {
    const row = rows.find((r) => r.update_id === id);
    const text = inputs[`update_${k + 1}`];
    if (!row || row.status === 'answered' || typeof text !== 'string' || text.trim() === '') continue;
    await q.answerUpdate(deps.db, id, text.trim().slice(0, 500), stamp(now)).execute();
    answered.push({ personId: row.person_id, text });
  }
  if (answered.length) await appendAccessAudit(deps.db, answered.map((a) => ({ actor: actorOf(requester, caller), action: 'meeting_update', personId: a.personId, outcome: 'processed' as const, basis: `asked for an update before ${meeting.meeting_id}`, shown: 'update recorded', runId: meeting.run_id, channel: requester.channel })), now);
  const current = (await Promise.all(parsed.data.updateIds.map((id) => q.updateById(deps.db, id).executeTakeFirst()))).filter((r) => r !== undefined);
  const bands = new Map((await q.itemsOfMeeting(deps.db, meeting.meeting_id).execute()).map((i) => [i.item_id, (JSON.parse(i.detail) as AgendaItem).band]));
  return {
    kind: 'updates',
    view: {
      meetingId: meeting.meeting_id,
      meetingDate: isoDay(meeting.meeting_date),
      items: current.map((r) => ({ updateId: r.update_id, personId: r.person_id, band: bands.get(r.item_id) ?? '', answer: r.text })),
      banner: answered.length ? `Thank you: ${answered.length} update${answered.length === 1 ? '' : 's'} sent to the meeting.` : 'Nothing new to send: write an update in a box first.',
    },
  };
}
