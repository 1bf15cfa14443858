import type { TfdDb } from '../../db/database.js';
import { staffByEntraId } from '../../db/repositories/staff.js';
import type { Caller } from '../../domain/roles.js';

/** The member of staff asking (db/repositories/staff.ts), or null when there is no Entra id or no staff record. */
export async function resolveCaller(db: TfdDb, aadObjectId: string | null): Promise<Caller | null> {
  return aadObjectId ? staffByEntraId(db, aadObjectId) : null;
}
