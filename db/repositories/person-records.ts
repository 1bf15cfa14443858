import type { Kysely } from 'kysely';
import { dayOf, isoOf } from '../../domain/days.js';
import { caseloadOf, openEnrolmentsOf, openInvolvementsOf, personWithArea } from '../queries/lookup-queries.js';
import type { Database } from '../schema/database-schema.js';

/**
 * What the TFD holds about a person that a lookup shows beside their score:
 * where they live, which school they attend and which agencies work with
 * them. "Open" means the spell covers the day given (YYYY-MM-DD).
 */

/** A stored date as `YYYY-MM-DD`: ISO text on SQLite, a Date through tedious on SQL Server. */
const day = (value: string | Date | null | undefined): string | null => (value ? isoOf(dayOf(value)) : null);

export interface PersonInArea {
  readonly personId: string;
  /** YYYY-MM-DD, or null when not recorded. */
  readonly dateOfBirth: string | null;
  readonly areaId: string | null;
  readonly areaName: string | null;
}

export interface OpenInvolvement {
  readonly personId: string;
  readonly agency: string;
  readonly workerId: string | null;
  readonly role: string | null;
  /** YYYY-MM-DD, or null when not recorded. */
  readonly startDate: string | null;
  /** The worker's name where `staff` knows them. */
  readonly workerName: string | null;
}

export interface OpenEnrolment {
  readonly personId: string;
  readonly schoolId: string;
  readonly schoolName: string | null;
}

/** One of a worker's open cases, with the person's placement in the run where it scored them. */
export interface OpenCase {
  readonly personId: string;
  readonly agency: string;
  readonly role: string | null;
  /** Null, with the rest of the placement: the run did not score them. */
  readonly finalScore: number | null;
  readonly age: number | null;
  readonly band: string | null;
  readonly onList: boolean;
  readonly list: string | null;
}

export async function personInArea(db: Kysely<Database>, personId: string): Promise<PersonInArea | undefined> {
  const r = await personWithArea(db, personId).executeTakeFirst();
  return r ? { personId: r.person_id, dateOfBirth: day(r.date_of_birth), areaId: r.area_id, areaName: r.area_name } : undefined;
}

/** Open involvements of people, by person then start date. */
export async function openInvolvements(db: Kysely<Database>, personIds: readonly string[], onDay: string): Promise<OpenInvolvement[]> {
  return (await openInvolvementsOf(db, [...personIds], onDay).execute()).map((i) => ({ personId: i.person_id, agency: i.agency, workerId: i.worker_id, role: i.role, startDate: day(i.start_date), workerName: i.display_name }));
}

export async function openEnrolments(db: Kysely<Database>, personIds: readonly string[], onDay: string): Promise<OpenEnrolment[]> {
  return (await openEnrolmentsOf(db, [...personIds], onDay).execute()).map((e) => ({ personId: e.person_id, schoolId: e.school_id, schoolName: e.school_name }));
}

/** A worker's open cases, highest score first (one row per involvement: a person may appear twice). */
export async function caseload(db: Kysely<Database>, workerId: string, onDay: string, runId: string): Promise<OpenCase[]> {
  return (await caseloadOf(db, workerId, onDay, runId).execute()).map((r) => ({
    personId: r.person_id,
    agency: r.agency,
    role: r.role,
    finalScore: r.final_score,
    age: r.age,
    band: r.band,
    onList: r.on_list === 1,
    list: r.list,
  }));
}
