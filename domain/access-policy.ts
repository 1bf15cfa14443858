import { OVER_18_NOTICE, POLICE_HOLD_MORE } from './decision-support.js';
import { reasonLine, reasonParagraph, type ReasonItem } from './reason-item.js';
import { ROLE_LABELS, SEES_EVERYONE, type Caller, type StaffRole } from './roles.js';
import { MEETING_ROLES } from './meeting.js';
import type { AlertFacts, AlertSubject, Involvement } from './alert.js';
import type { AlertItem } from './alert-delivery.js';

/** What a person's card may contain; each role gets a subset. */
export type ProfileSection = 'scores' | 'reasons' | 'agencies' | 'topaz' | 'over_18';

/** How a person is connected to the services today, as the access decision needs it. */
export interface SubjectLinks {
  /** Open agency involvements today. */
  readonly involvements: readonly { workerId: string | null; agency: string; role: string | null; startDate: string | null }[];
  /** Schools the person is enrolled at today. */
  readonly schoolIds: readonly string[];
  /** Which list of the current run the person is on, if any. */
  readonly onList: 'children' | 'over_18' | null;
  /** The area the person lives in (person.area_id); null = not recorded. */
  readonly areaId: string | null;
}

/**
 * Whether a reader's area covers a person's: staff of one area see that
 * area's children only, force-wide staff (area null) every area's. A person
 * with no recorded area belongs to no one area, so only force-wide staff.
 */
export const coversArea = (readerAreaId: string | null, personAreaId: string | null): boolean => readerAreaId === null || readerAreaId === personAreaId;

export type AccessDecision =
  | { readonly allowed: true; readonly basis: string; readonly sections: readonly ProfileSection[] }
  | { readonly allowed: false; readonly basis: string };

const CASE_SECTIONS: readonly ProfileSection[] = ['scores', 'reasons', 'agencies'];
const ALL_SECTIONS: readonly ProfileSection[] = ['scores', 'reasons', 'agencies', 'topaz', 'over_18'];

/**
 * Whether a member of staff may consult a person's profile, why, and which
 * parts of it. Legitimate relationship first (need to know): caseworkers
 * their open cases, school leads their own pupils, chairs the children on
 * the list their meeting reviews, of their own area unless they work for
 * every area (own cases and pupils stay visible wherever the child lives);
 * officers and analysts everyone. The basis
 * is written for the audit, so a data protection officer can read it.
 */
export function decideProfileAccess(caller: Caller, links: SubjectLinks): AccessDecision {
  const who = `${ROLE_LABELS[caller.role]} ${caller.workerId}`;
  switch (caller.role) {
    case 'officer':
    case 'analyst':
      return { allowed: true, basis: `${who}: ${caller.role}s may consult every person in the TFD`, sections: ALL_SECTIONS };
    case 'caseworker': {
      const own = links.involvements.find((i) => i.workerId === caller.workerId);
      if (own) return { allowed: true, basis: `${who} has an open ${own.agency} involvement with this person${own.startDate ? ` since ${own.startDate}` : ''}${own.role ? ` (${own.role})` : ''}`, sections: CASE_SECTIONS };
      return { allowed: false, basis: `${who} has no open involvement with this person` };
    }
    case 'school_safeguarding_lead': {
      if (caller.schoolId !== null && links.schoolIds.includes(caller.schoolId)) return { allowed: true, basis: `${who} is safeguarding lead at ${caller.schoolId}, where this person is enrolled`, sections: CASE_SECTIONS };
      return { allowed: false, basis: `${who}${caller.schoolId ? ` (school ${caller.schoolId})` : ' (no school recorded)'}: this person is not enrolled at their school` };
    }
    case 'chair':
      // An area's meeting reviews that area's children: a Somerset chair has no need to know a Bristol child.
      if (links.onList === 'children' && !coversArea(caller.areaId, links.areaId)) return { allowed: false, basis: `${who} chairs the meeting of area ${caller.areaId}: this child lives in ${links.areaId ? `area ${links.areaId}` : 'no recorded area'}` };
      if (links.onList === 'children') return { allowed: true, basis: `${who}: this child is on the weekly list the multi-agency meeting reviews`, sections: CASE_SECTIONS };
      return { allowed: false, basis: `${who}: this person is not on the weekly list the meeting reviews` };
    case 'admin':
      return { allowed: false, basis: `${who}: administrators run the service and do not consult people's records` };
  }
}

/** Whether a caller may read the model summary and its model card (aggregate figures about a run, no person). */
export function decideModelSummaryAccess(caller: Caller): { readonly allowed: boolean; readonly basis: string } {
  const who = `${ROLE_LABELS[caller.role]} ${caller.workerId}`;
  return SEES_EVERYONE.has(caller.role) ? { allowed: true, basis: `${who}: ${caller.role}s see the model summary` } : { allowed: false, basis: `${who}: the model summary is for officers and analysts` };
}

/** The list a role's `list` command shows. */
export type ListView = 'caseload' | 'school' | 'weekly' | 'meeting' | 'none';

export function listViewFor(caller: Caller): ListView {
  if (SEES_EVERYONE.has(caller.role)) return 'weekly';
  switch (caller.role) {
    case 'caseworker':
      return 'caseload';
    case 'school_safeguarding_lead':
      return caller.schoolId ? 'school' : 'none';
    case 'chair':
      return 'meeting';
    default:
      return 'none';
  }
}

/** Roles that may see police-only information: Topaz markers, police intelligence, "CSE Risk – Subjects Over 18". */
export const seesPoliceOnly = (role: StaffRole): boolean => SEES_EVERYONE.has(role);

/** What a reader is shown of a person's reasons, and exactly which items (for the audit). */
export interface ReasonsForReader {
  /** The items this reader may see, and their card lines (with the neutral line where police hold more). */
  readonly items: readonly ReasonItem[];
  readonly lines: readonly string[];
  readonly shownCodes: readonly string[];
  /** Police-only reasons existed and were replaced by the one neutral line. */
  readonly policeHoldMore: boolean;
}

/**
 * The one decision on reasons for every channel (profile, alerts, meeting,
 * partner exports): police roles see every item; everyone else the items for
 * everyone, and, where police-only ones exist, one neutral line that is the
 * same whatever they are.
 */
export function reasonsForReader(role: StaffRole, items: readonly ReasonItem[]): ReasonsForReader {
  const police = seesPoliceOnly(role);
  const shown = items.filter((i) => police || i.audience === 'everyone');
  const policeHoldMore = shown.length < items.length;
  return { items: shown, lines: [...shown.map(reasonLine), ...(policeHoldMore ? [POLICE_HOLD_MORE] : [])], shownCodes: shown.map((i) => i.code), policeHoldMore };
}

/**
 * A score's reasons as one paragraph (scores.csv's `reasons` column), built
 * when shown from the stored items by the decision above: the items this
 * reader may see, the neutral line where police hold more, and on "CSE Risk –
 * Subjects Over 18" the notice said wherever that list is shown.
 */
export function reasonParagraphForReader(role: StaffRole, items: readonly ReasonItem[], list: 'children' | 'over_18'): string {
  const shown = reasonsForReader(role, items);
  return reasonParagraph(shown.items, [...(list === 'over_18' ? [OVER_18_NOTICE] : []), ...(shown.policeHoldMore ? [POLICE_HOLD_MORE] : [])]);
}

/** An agency involvement as a reader may see it. */
export interface InvolvementLine {
  readonly agency: string;
  readonly role: string;
  readonly worker: string;
}

/**
 * Police involvements reach partners without the officer's role or name: a
 * role such as "Topaz officer" would disclose a police operation.
 */
export function involvementForReader(role: StaffRole, involvement: InvolvementLine): InvolvementLine & { readonly neutralised: boolean } {
  if (seesPoliceOnly(role) || involvement.agency !== 'police') return { ...involvement, neutralised: false };
  return { agency: 'police', role: '', worker: 'through the exploitation team', neutralised: true };
}

/**
 * What a reader is shown of an alert, decided when it is shown, for the
 * reader's role then: the reasons and agencies as `reasonsForReader` and
 * `involvementForReader` allow (the same decision as the profile card), and
 * of the reasons new since the run before only those this reader may see.
 */
export function alertForReader(role: StaffRole, alert: AlertFacts, subject: AlertSubject): AlertItem {
  const reasons = reasonsForReader(role, subject.reasonItems);
  const fresh = new Set(alert.newReasonCodes);
  return {
    personId: alert.personId,
    change: alert.change,
    previousBand: alert.previousBand,
    band: alert.band,
    chanceIn100: subject.probability === null ? null : Math.round(subject.probability * 100),
    reasonLines: reasons.lines,
    newReasonLines: reasons.items.filter((i) => fresh.has(i.code)).map(reasonLine),
    shownCodes: reasons.shownCodes,
    policeHoldMore: reasons.policeHoldMore,
    agencies: [...new Set(subject.involvements.map((i) => agencyLine(role, i)))],
    ...(alert.closedOn ? { closedOn: alert.closedOn } : {}),
  };
}

/** Several alerts as one reader is shown them, each keeping its id (an alert whose child the run no longer holds shows no reasons). */
export const alertsForReader = (role: StaffRole, alerts: readonly AlertFacts[], subjects: ReadonlyMap<string, AlertSubject>): (AlertItem & { readonly alertId: string })[] =>
  alerts.map((a) => ({ ...alertForReader(role, a, subjects.get(a.alertId) ?? { probability: null, reasonItems: [], involvements: [] }), alertId: a.alertId }));

/** An involvement as a reader may see it, in one line ("police: through the exploitation team" for partners). */
function agencyLine(role: StaffRole, i: Involvement): string {
  const seen = involvementForReader(role, { agency: i.agency, role: i.involvementRole ?? '', worker: i.displayName });
  return [seen.agency, seen.role ? `(${seen.role})` : '', seen.worker ? `: ${seen.worker}` : ''].join(' ').replace(/ +/g, ' ').replace(' :', ':').trim();
}

/** What the audit records of an alert as shown: the band, the reason codes shown, and whether the neutral police line stood in for more. */
export const alertShownForAudit = (item: AlertItem): string => [`band ${item.band ?? '—'}`, ...item.shownCodes, ...(item.policeHoldMore ? ['neutral line: police hold more'] : []), `agencies: ${item.agencies.join(', ') || 'none'}`].join('; ');


/** A lead professional's update on a child before the meeting, as stored. */
export interface MeetingUpdateLine {
  readonly author: string;
  readonly agency: string | null;
  readonly authorRole: string | null;
  readonly at: string;
  readonly text: string;
  /** A police author let the partners read it. */
  readonly shareable: boolean;
}

/** Police officers and analysts (or anyone of the police agency) write as the police. */
export const isPoliceAuthor = (update: Pick<MeetingUpdateLine, 'agency' | 'authorRole'>): boolean =>
  update.agency === 'police' || (update.authorRole !== null && (SEES_EVERYONE as ReadonlySet<string>).has(update.authorRole));

/**
 * An update as a reader may see it (null: not at all). A police author's
 * update is the police's: partners never read the officer's name (it can
 * disclose an operation, as a police involvement's role would), and read its
 * text only when the officer marked it shareable on their update card;
 * otherwise it is in the Police view alone.
 */
export function updateForReader(role: StaffRole, update: MeetingUpdateLine): string | null {
  const agency = update.agency ? ` (${update.agency.replace(/_/g, ' ')})` : '';
  if (seesPoliceOnly(role) || !isPoliceAuthor(update)) return `${update.author}${agency}, ${update.at}: ${update.text}`;
  return update.shareable ? `Police, through the exploitation team, ${update.at}: ${update.text}` : null;
}

/** A member of a Teams chat, matched against the staff list (role null: not registered staff). */
export interface ChatMember {
  readonly name: string;
  readonly role: StaffRole | null;
  /** The area they work for; null = every area (absent: not known). */
  readonly areaId?: string | null;
}

/**
 * Everything posted in a group chat is read by every member, so the meeting
 * names children there only when every member is registered staff with a
 * meeting role. The reasons as why not name the members, never a child.
 */
export function decideMeetingDisclosure(members: readonly ChatMember[], area?: { readonly areaId: string; readonly name: string }): { readonly allowed: boolean; readonly basis: string; readonly blockers: readonly string[] } {
  const unregistered = members.filter((m) => m.role === null).map((m) => `${m.name} is not in the staff list`);
  const noRole = members.filter((m) => m.role !== null && !MEETING_ROLES.has(m.role)).map((m) => `${m.name} (${ROLE_LABELS[m.role!]}) has no meeting role`);
  // An area's meeting names that area's children: a member must work for it, or for every area (police, force-wide staff).
  const otherArea = area ? members.filter((m) => m.role !== null && m.areaId !== undefined && m.areaId !== null && m.areaId !== area.areaId).map((m) => `${m.name} works for another area, not ${area.name}`) : [];
  const blockers = [...unregistered, ...noRole, ...otherArea];
  if (members.length === 0) return { allowed: false, basis: 'the chat roster could not be read', blockers: ['the chat roster could not be read'] };
  return blockers.length === 0
    ? { allowed: true, basis: `all ${members.length} chat members are registered staff with a meeting role${area ? ` working for ${area.name} or every area` : ''}`, blockers }
    : { allowed: false, basis: `chat members without a meeting role: ${blockers.join('; ')}`, blockers };
}

/**
 * What a group chat is shown of a child: the view of a reader without police
 * access, whoever is in it (police-only facts go to police roles privately).
 */
export const GROUP_CHAT_VIEW: StaffRole = 'chair';

/**
 * Who may open a meeting's minutes: its chair and members (staff invited
 * when the agenda was drawn), and officers and analysts, who see every list.
 */
export function decideMinutesAccess(caller: Caller, memberOfMeeting: boolean): { readonly allowed: boolean; readonly basis: string } {
  const who = `${ROLE_LABELS[caller.role]} ${caller.workerId}`;
  if (SEES_EVERYONE.has(caller.role)) return { allowed: true, basis: `${who}: ${caller.role}s see every meeting's minutes` };
  if (memberOfMeeting && MEETING_ROLES.has(caller.role)) return { allowed: true, basis: `${who}: member of the meeting` };
  return { allowed: false, basis: `${who}: not a member of the meeting` };
}
