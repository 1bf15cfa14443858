import type { AgendaItem } from './meeting-agenda.js';
import type { AgendaSection, RecordedOutcome } from './meeting.js';

/** One multi-agency meeting as the bot and the minutes read it. */
export interface Meeting {
  readonly meetingId: string;
  /** YYYY-MM-DD. */
  readonly meetingDate: string;
  /** The area whose children the agenda holds (null: drawn before areas were kept apart). */
  readonly areaId: string | null;
  readonly runId: string;
  readonly previousMeetingId: string | null;
  readonly chairWorkerId: string | null;
  readonly conversationId: string | null;
  /** The Teams activity of the agenda's first card (attendance), updated for everyone. */
  readonly headerActivityId: string | null;
  /** `agenda` (open for recording) or `closed` (minutes final). */
  readonly status: string;
  readonly createdBy: string;
  readonly createdAt: string;
}

/** What the meeting recorded about a child, and who recorded it when. */
export interface ItemRecording extends RecordedOutcome {
  readonly by: string;
  /** YYYY-MM-DD HH:MM:SS (UTC). */
  readonly at: string;
}

/** One child on a meeting's agenda: the item as drawn, and what the meeting recorded since. */
export interface MeetingItem {
  readonly itemId: string;
  readonly meetingId: string;
  readonly personId: string;
  readonly section: AgendaSection;
  readonly position: number;
  /** Raised by one on every recording: an edit made from an older card is refused, not lost. */
  readonly version: number;
  readonly recording: ItemRecording | null;
  /** The Teams activity of the item's card in the meeting's chat. */
  readonly activityId: string | null;
  readonly agenda: AgendaItem;
}

/** A member of a meeting and whether they came. */
export interface Attendee {
  readonly workerId: string;
  readonly agency: string | null;
  /** `invited`, `present` or `apologies`. */
  readonly attendance: string;
  readonly displayName: string | null;
  readonly role: string | null;
}

export interface MeetingAction {
  readonly actionId: string;
  readonly itemId: string;
  readonly personId: string;
  readonly description: string;
  readonly ownerWorkerId: string;
  /** YYYY-MM-DD. */
  readonly dueDate: string;
  readonly status: string;
}

/** An open action due, whose owner has not been reminded of it yet. */
export interface UnremindedAction {
  readonly actionId: string;
  readonly personId: string;
  readonly description: string;
  readonly ownerWorkerId: string;
  /** YYYY-MM-DD. */
  readonly dueDate: string;
  readonly status: string;
  /** YYYY-MM-DD: the meeting that agreed it. */
  readonly meetingDate: string;
}

/** A lead professional's answered update on an item. */
export interface ItemUpdate {
  readonly itemId: string;
  readonly workerId: string;
  readonly text: string;
  readonly answeredAt: string;
  readonly displayName: string | null;
  readonly agency: string | null;
  readonly role: string | null;
  /** A police author let the partners read it (without their name). */
  readonly shareable: boolean;
}

/** A request for an update, and its answer if given. */
export interface UpdateRequest {
  readonly updateId: string;
  readonly meetingId: string;
  readonly itemId: string;
  readonly personId: string;
  readonly workerId: string;
  /** `requested`, `held` (no Teams chat with the bot) or `answered`. */
  readonly status: string;
  readonly text: string | null;
  readonly shareable: boolean;
}

/** A member of staff as the roster check reads them. */
export interface StaffMember {
  readonly workerId: string;
  readonly aadObjectId: string | null;
  readonly displayName: string | null;
  readonly role: string;
  readonly agency: string | null;
  /** The area they work for; null = every area. */
  readonly areaId: string | null;
}

/** An Op Topaz marker open on a day. */
export interface TopazMarker {
  readonly marker: string;
  /** YYYY-MM-DD. */
  readonly startDate: string;
  readonly note: string | null;
}

/** The chat a chair last drew an agenda in: where the scheduled agenda says it is drawn. */
export interface MeetingChat {
  readonly conversationId: string;
  readonly chairWorkerId: string;
  /** The tenant of the chat (its place in Teams' limits); null when the reference names none. */
  readonly tenantId: string | null;
  /** The whole Teams conversation reference, as Teams gave it. */
  readonly reference: Record<string, unknown>;
}
