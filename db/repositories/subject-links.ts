import type { Kysely } from 'kysely';
import { areasOf } from './person-areas.js';
import { currentRun } from '../queries/run-queries.js';
import { openEnrolmentsOf, openInvolvementsOf, scoreOf } from '../queries/lookup-queries.js';
import type { Database } from '../schema/database-schema.js';
import type { SubjectLinks } from '../../domain/access-policy.js';
import { dayOf, isoOf } from '../../domain/days.js';

/**
 * How each person is connected to the services on a day (open involvements,
 * enrolments, the current run's list), as `decideProfileAccess` needs it:
 * read when something about them is shown, so a reader who has moved on
 * since (another school, another role) is decided as they are now.
 */
export async function subjectLinksOf(db: Kysely<Database>, personIds: readonly string[], day: string): Promise<Map<string, SubjectLinks>> {
  const ids = [...new Set(personIds)];
  const out = new Map<string, SubjectLinks>();
  if (ids.length === 0) return out;
  const run = await currentRun(db).executeTakeFirst();
  const involvements: Awaited<ReturnType<ReturnType<typeof openInvolvementsOf>['execute']>> = [];
  const enrolments: Awaited<ReturnType<ReturnType<typeof openEnrolmentsOf>['execute']>> = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    involvements.push(...(await openInvolvementsOf(db, part, day).execute()));
    enrolments.push(...(await openEnrolmentsOf(db, part, day).execute()));
  }
  const areas = await areasOf(db, ids);
  for (const id of ids) {
    const score = run ? await scoreOf(db, run.run_id, id).executeTakeFirst() : undefined;
    out.set(id, {
      involvements: involvements
        .filter((i) => i.person_id === id)
        .map((i) => ({ workerId: i.worker_id, agency: i.agency, role: i.role, startDate: i.start_date ? isoOf(dayOf(i.start_date as string | Date)) : null })),
      areaId: areas.get(id) ?? null,
      schoolIds: enrolments.filter((e) => e.person_id === id).map((e) => e.school_id),
      onList: score && score.on_list === 1 ? ((score.list ?? 'children') as 'children' | 'over_18') : null,
    });
  }
  return out;
}
