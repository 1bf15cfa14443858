import type { Kysely } from 'kysely';
import { areasOfPeople } from '../queries/meeting-queries.js';
import type { Database } from '../schema/database-schema.js';

/** Batches for `in (…)` lists: under SQL Server's 2,100 parameters with room to spare. */
const IN_BATCH = 1_000;

/** The area each person lives in (person.area_id; null = not recorded), for the access policy's area check. */
export async function areasOf(db: Kysely<Database>, personIds: readonly string[]): Promise<ReadonlyMap<string, string | null>> {
  const out = new Map<string, string | null>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += IN_BATCH) for (const r of await areasOfPeople(db, ids.slice(i, i + IN_BATCH)).execute()) out.set(r.person_id, r.area_id);
  return out;
}
