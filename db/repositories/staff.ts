import type { Kysely } from 'kysely';
import { aadSpellings } from '../../domain/person-id.js';
import { isStaffRole, type Caller } from '../../domain/roles.js';
import { staffByAadObjectId } from '../queries/lookup-queries.js';
import { staffRoleOf } from '../queries/alert-queries.js';
import { staffMember } from '../queries/meeting-queries.js';
import type { Database } from '../schema/database-schema.js';

/**
 * The member of staff behind an Entra object id, or null. A staff row with a
 * role the contract does not name is not a caller (it grants nothing); two
 * rows for one id resolve to the first by worker id, deterministically.
 */
export async function staffByEntraId(db: Kysely<Database>, aadObjectId: string): Promise<Caller | null> {
  const rows = await staffByAadObjectId(db, aadSpellings(aadObjectId)).execute();
  const row = rows.filter((r) => isStaffRole(r.role)).sort((a, b) => (a.worker_id < b.worker_id ? -1 : 1))[0];
  if (!row || !isStaffRole(row.role)) return null;
  return { aadObjectId, workerId: row.worker_id, displayName: row.display_name, role: row.role, agency: row.agency, schoolId: row.school_id, areaId: row.area_id };
}

/** The Entra object id of a member of staff (null: not in the staff list, or none recorded), to open a chat with them. */
export async function entraIdOfStaff(db: Kysely<Database>, workerId: string): Promise<string | null> {
  return (await staffRoleOf(db, workerId).executeTakeFirst())?.aad_object_id ?? null;
}

/**
 * The member of staff with a worker id, or null (not in the staff list, or a
 * role the contract does not name). `entraId` is null when none is recorded
 * (the caller's `aadObjectId` is then empty).
 */
export async function staffByWorkerId(db: Kysely<Database>, workerId: string): Promise<(Caller & { readonly entraId: string | null }) | null> {
  const row = await staffMember(db, workerId).executeTakeFirst();
  if (!row || !isStaffRole(row.role)) return null;
  return { aadObjectId: row.aad_object_id ?? '', entraId: row.aad_object_id, workerId: row.worker_id, displayName: row.display_name, role: row.role, agency: row.agency, schoolId: row.school_id, areaId: row.area_id };
}
