import type { Kysely } from 'kysely';
import { snapshotQueries } from '../queries/snapshot-queries.js';
import type { Database } from '../schema/database-schema.js';

/** A date from which an agency knew of a child: accepted onto the service, or marked a Topaz victim. */
export interface KnownFrom {
  readonly personId: string;
  /** YYYY-MM-DD. */
  readonly from: string;
  readonly how: 'accepted' | 'topaz_victim';
}

/**
 * Every date from which an agency knew of someone (a person may have
 * several): judging a run against synthetic ground truth separates the
 * exploited children it found that nobody knew of.
 */
export async function agencyKnowledge(db: Kysely<Database>): Promise<KnownFrom[]> {
  const out: KnownFrom[] = [];
  for (const c of await snapshotQueries.cohort(db).execute()) out.push({ personId: c.person_id, from: c.start_of_service, how: 'accepted' });
  for (const t of await snapshotQueries.topaz(db).execute()) if (t.marker === 'victim' && t.start_date) out.push({ personId: t.person_id, from: t.start_date, how: 'topaz_victim' });
  return out;
}
