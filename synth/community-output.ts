import type { BundleWriter } from './bundle-writer.js';
import { isoDate, timestamp, type Day } from './calendar.js';
import { suppliedIn } from './catalogue.js';
import type { Community } from './population.js';
import type { Rng } from '../domain/rng.js';

export type PartyRole = 'victim' | 'offender' | 'suspect' | 'witness' | 'subject' | 'missing_person' | 'reporter' | 'involved';
export type EventType = 'crime' | 'intelligence' | 'missing_report' | 'call_card';

/** Writes one neighbourhood's facts and police events, honouring which sources its area has. */
export class CommunityOutput {
  constructor(
    private readonly out: BundleWriter,
    private readonly community: Community,
    private readonly rng: Rng,
    private readonly counters: { nextEvent: number },
    /** Facts and events on or before this day are written; later ones have not happened yet. */
    private readonly end: Day,
  ) {}

  /** The same output drawing event times from another stream (so extra records leave the main stream untouched). */
  using(rng: Rng): CommunityOutput {
    return new CommunityOutput(this.out, this.community, rng, this.counters, this.end);
  }

  fact(person: number, code: string, start: Day, end?: Day, value?: number): void {
    if (start > this.end || !suppliedIn(code, this.community.area.areaId)) return;
    const until = end === undefined || end > this.end ? null : isoDate(Math.max(start, end));
    this.out.row('indicator_fact', this.community.people[person].id, code, isoDate(start), until, value ?? null);
  }

  event(type: EventType, day: Day, location: string | null, cse: boolean, parties: readonly (readonly [number, PartyRole])[]): void {
    if (day > this.end || parties.length === 0) return;
    const id = `E${String(this.counters.nextEvent++).padStart(9, '0')}`;
    // Night-time is over-represented in missing and call-card records.
    const second = this.rng.chance(0.5) ? 18 * 3600 + this.rng.int(6 * 3600) : this.rng.int(86400);
    this.out.row('event', id, type, timestamp(day, second), location, cse ? 1 : 0);
    const seen = new Set<string>();
    for (const [person, role] of parties) {
      const key = `${person}:${role}`;
      if (seen.has(key)) continue;
      seen.add(key);
      this.out.row('event_party', id, this.community.people[person].id, role);
    }
  }
}
