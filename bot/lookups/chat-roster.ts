import { staffByEntraIds } from '../../db/repositories/meetings.js';
import type { StaffMember } from '../../domain/meeting-record.js';
import { aadSpellings } from '../../domain/person-id.js';
import { isStaffRole, type StaffRole } from '../../domain/roles.js';
import type { TfdDb } from '../../db/database.js';

/** A member of a chat as Teams lists them. */
export interface RosterMember {
  readonly aadObjectId: string | null;
  readonly name: string;
}

/** The chat's members, or why Teams would not say. */
export type RosterRead = readonly RosterMember[] | { readonly error: string };

/** A chat member matched against the staff list (staff null: not registered). */
export interface RosteredMember {
  readonly name: string;
  readonly staff: StaffMember | null;
  /** The staff role when it is one the contract names. */
  readonly role: StaffRole | null;
}

/**
 * How long a chat's roster is trusted: Teams throttles roster reads (a few per
 * second per bot and tenant), and a meeting presses Refresh and Save often.
 * A member added or removed arrives as a `conversationUpdate`, which forgets
 * the chat's roster at once, so the 60 s only bounds a missed update.
 */
export const ROSTER_CACHE_MS = 60_000;

/** Recently read rosters per chat; only a successful read is kept. */
export class ChatRosterCache {
  private readonly rosters = new Map<string, { readonly at: number; readonly members: readonly RosterMember[] }>();
  private readonly reading = new Map<string, Promise<RosterRead>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = ROSTER_CACHE_MS,
  ) {}

  /** The chat's roster, read with `fetch` (Teams) when none younger than the cache's age is held; reads at once for one chat share one call. */
  async read(chatId: string, fetch: () => Promise<RosterRead>): Promise<RosterRead> {
    const held = this.rosters.get(chatId);
    if (held && this.now() - held.at < this.ttlMs) return held.members;
    const pending = this.reading.get(chatId);
    if (pending) return pending;
    const started = this.now();
    const read = fetch().finally(() => this.reading.delete(chatId));
    this.reading.set(chatId, read);
    const result = await read;
    if (Array.isArray(result) && result.length > 0) this.rosters.set(chatId, { at: started, members: result as readonly RosterMember[] });
    return result;
  }

  /** A member joined or left: the next read asks Teams. */
  forget(chatId: string): void {
    this.rosters.delete(chatId);
  }
}

/** Matches the chat's members against the staff list by Entra object id (any spelling). */
export async function matchRoster(db: TfdDb, members: readonly RosterMember[]): Promise<RosteredMember[]> {
  const staff = await staffByEntraIds(db, members.flatMap((m) => (m.aadObjectId ? aadSpellings(m.aadObjectId) : [])));
  const byEntra = new Map(staff.map((s) => [s.aadObjectId!.toLowerCase(), s]));
  return members.map((m) => {
    const s = (m.aadObjectId ? byEntra.get(m.aadObjectId.toLowerCase()) : undefined) ?? null;
    return { name: m.name, staff: s, role: s && isStaffRole(s.role) ? s.role : null };
  });
}

export type RosterDecision = { readonly allowed: true; readonly basis: string; readonly members: readonly RosteredMember[] } | { readonly allowed: false; readonly basis: string; readonly blockers: readonly string[] };

/**
 * Whether what is about to be posted may be read by everyone in the chat:
 * `blockerOf` says why one member may not read it (null: they may). An
 * unreadable or empty roster allows nothing. The blockers name members, never
 * a child.
 */
export function decideChatRoster(read: RosterRead, members: readonly RosteredMember[], blockerOf: (member: RosteredMember) => string | null, allowedBasis: string): RosterDecision {
  if (!Array.isArray(read)) return { allowed: false, basis: `the chat roster could not be read (reading it failed: ${(read as { error: string }).error})`, blockers: ['the chat roster could not be read'] };
  if (members.length === 0) return { allowed: false, basis: 'the chat roster could not be read (Teams listed no members)', blockers: ['the chat roster could not be read'] };
  const blockers = members.flatMap((m) => {
    const why = blockerOf(m);
    return why ? [why] : [];
  });
  return blockers.length === 0 ? { allowed: true, basis: `all ${members.length} chat members ${allowedBasis}`, members } : { allowed: false, basis: `chat members who may not read it: ${blockers.join('; ')}`, blockers };
}
