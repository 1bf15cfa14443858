import { sql } from 'kysely';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import { syntheticTfd } from './scored-tfd.js';

export interface Identity {
  readonly aad: string;
  readonly workerId: string;
}

/** Who is who in a scored synthetic TFD: real staff rows, and people each may or may not see. */
export interface BotFixture {
  readonly db: TfdDialect;
  readonly runId: string;
  readonly analyst: Identity;
  readonly officer: Identity;
  readonly admin: Identity;
  /** The chair of the area `listed` lives in. */
  readonly chair: Identity;
  /** The chair of another area (`listed` is not theirs), and that area's highest-scored child (on the list or not: tests may list them). */
  readonly otherChair: Identity & { readonly areaId: string; readonly childHere: string };
  readonly caseworker: Identity & { readonly ownCase: string; readonly notOwnCase: string };
  readonly schoolLead: Identity & { readonly schoolId: string; readonly pupil: string; readonly notPupil: string };
  /** A child on the weekly list, and one scored but not on it. */
  readonly listed: string;
  /** A child on the weekly list with at least one agency involved today. */
  readonly listedWithAgency: string;
  readonly unlisted: string;
  /** An adult on "CSE Risk – Subjects Over 18". */
  readonly overEighteen: string;
}

const first = async <T>(query: { executeTakeFirst(): Promise<T | undefined> }, what: string): Promise<T> => {
  const row = await query.executeTakeFirst();
  if (!row) throw new Error(`the synthetic fixture has no ${what}; change its size or seed`);
  return row;
};

// Open today whatever today is: the synthetic TFD ends in the past, so only spells with no end stay open.
const OPEN = sql<boolean>`end_date is null`;

/** A scored synthetic TFD in `dir` and the identities tests act as. */
export async function botFixture(dir: string, people = 8_000): Promise<BotFixture> {
  const { db } = await syntheticTfd(dir, people, 4);
  const summary = await scoreRun(db, {});
  const d = db.db;
  const staff = (role: string) => first(d.selectFrom('staff').select(['aad_object_id as aad', 'worker_id as workerId']).where('role', '=', role).orderBy('worker_id'), `${role} in staff`);
  const asIdentity = (r: { aad: string | null; workerId: string }): Identity => ({ aad: r.aad!, workerId: r.workerId });

  const listed = await first(d.selectFrom('run_score').select('person_id').where('run_id', '=', summary.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('final_score', 'desc').orderBy('person_id'), 'child on the list');
  const withAgency = await first(
    d.selectFrom('run_score').innerJoin('agency_involvement', 'agency_involvement.person_id', 'run_score.person_id').select('run_score.person_id').where('run_score.run_id', '=', summary.runId).where('run_score.list', '=', 'children').where('run_score.on_list', '=', 1).where(OPEN).orderBy('run_score.final_score', 'desc').orderBy('run_score.person_id'),
    'child on the list with an agency involved',
  );
  const listedArea = (await first(d.selectFrom('person').select('area_id').where('person_id', '=', listed.person_id), 'area of the listed child')).area_id;
  const chairOf = (areaId: string | null, same: boolean) =>
    first(d.selectFrom('staff').select(['aad_object_id as aad', 'worker_id as workerId', 'area_id as areaId']).where('role', '=', 'chair').where('area_id', same ? '=' : '<>', areaId!).orderBy('worker_id'), `chair ${same ? 'of' : 'outside'} area ${areaId}`);
  const otherChair = await chairOf(listedArea, false);
  const listedThere = await first(
    d.selectFrom('run_score').innerJoin('person', 'person.person_id', 'run_score.person_id').select('run_score.person_id').where('run_score.run_id', '=', summary.runId).where('run_score.list', '=', 'children').where('person.area_id', '=', otherChair.areaId!).orderBy('run_score.final_score', 'desc').orderBy('run_score.person_id'),
    `scored child in area ${otherChair.areaId}`,
  );
  const unlisted = await first(d.selectFrom('run_score').select('person_id').where('run_id', '=', summary.runId).where('list', '=', 'children').where('on_list', '=', 0).orderBy('person_id'), 'child off the list');
  const adult = await first(d.selectFrom('run_score').select('person_id').where('run_id', '=', summary.runId).where('list', '=', 'over_18').where('on_list', '=', 1).orderBy('person_id'), 'adult on the over-18 list');

  const caseRow = await first(
    d.selectFrom('agency_involvement').innerJoin('staff', 'staff.worker_id', 'agency_involvement.worker_id').select(['staff.aad_object_id as aad', 'staff.worker_id as workerId', 'agency_involvement.person_id']).where('staff.role', '=', 'caseworker').where(OPEN).orderBy('agency_involvement.person_id'),
    'caseworker with an open case',
  );
  const notOwn = await first(
    d.selectFrom('person').select('person_id').where('person_id', 'not in', d.selectFrom('agency_involvement').select('person_id').where('worker_id', '=', caseRow.workerId)).orderBy('person_id'),
    'person outside the caseworker’s caseload',
  );
  const pupilRow = await first(
    d.selectFrom('school_enrolment').innerJoin('staff', 'staff.school_id', 'school_enrolment.school_id').select(['staff.aad_object_id as aad', 'staff.worker_id as workerId', 'staff.school_id as schoolId', 'school_enrolment.person_id']).where('staff.role', '=', 'school_safeguarding_lead').where(OPEN).orderBy('school_enrolment.person_id'),
    'school lead with an enrolled pupil',
  );
  const notPupil = await first(
    d.selectFrom('person').select('person_id').where('person_id', 'not in', d.selectFrom('school_enrolment').select('person_id').where('school_id', '=', pupilRow.schoolId!)).orderBy('person_id'),
    'person not at the lead’s school',
  );
  return {
    db,
    runId: summary.runId,
    analyst: asIdentity(await staff('analyst')),
    officer: asIdentity(await staff('officer')),
    admin: asIdentity(await staff('admin')),
    chair: asIdentity(await chairOf(listedArea, true)),
    otherChair: { ...asIdentity(otherChair), areaId: otherChair.areaId!, childHere: listedThere.person_id },
    caseworker: { ...asIdentity(caseRow), ownCase: caseRow.person_id, notOwnCase: notOwn.person_id },
    schoolLead: { ...asIdentity(pupilRow), schoolId: pupilRow.schoolId!, pupil: pupilRow.person_id, notPupil: notPupil.person_id },
    listed: listed.person_id,
    listedWithAgency: withAgency.person_id,
    unlisted: unlisted.person_id,
    overEighteen: adult.person_id,
  };
}
