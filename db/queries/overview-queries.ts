import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema/database-schema.js';

/** People per programme area, for the demo's and operators' overview. */
export const peopleByArea = (db: Kysely<Database>) =>
  db.selectFrom('person').select(['area_id', sql<number>`count(*)`.as('people')]).groupBy('area_id').orderBy('area_id');

export const cohortSize = (db: Kysely<Database>) => db.selectFrom('base_cohort').select(sql<number>`count(distinct person_id)`.as('children'));

export const markersByType = (db: Kysely<Database>) =>
  db.selectFrom('topaz_marker').select(['marker', sql<number>`count(*)`.as('markers')]).groupBy('marker').orderBy('marker');
