import { join } from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../db/database.js';
import { MIGRATIONS } from '../../db/migrations/index.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { DECISION_SUPPORT_STATEMENT } from '../../domain/decision-support.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { exportScores } from '../../reports/export-scores.js';
import { readTable } from '../helpers/csv-table.js';
import { useTempDirs } from '../helpers/temp.js';

/** The last migration before reasons were stored once. */
const BEFORE = '2026-12-04T0013-meeting-chats';
const RUN = 'run-2025-06-30-reasons';

const childItems: ReasonItem[] = [
  { code: 'index:cse_missing', kind: 'because', text: 'CSE was identified by call scripting when they were reported missing', evidenceDate: '2025-05-01', source: 'police', audience: 'police' },
  { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-06-01', source: 'police', audience: 'everyone' },
  { code: 'family:domestic_abuse', kind: 'family', text: 'domestic abuse', evidenceDate: null, source: 'social_care', audience: 'everyone' },
  { code: 'missing_person_risk', kind: 'missing_person', text: 'Missing person risk: 42 in 100.', evidenceDate: null, source: 'model', audience: 'everyone' },
];
const adultItems: ReasonItem[] = [{ code: 'over18:listed_children', kind: 'over_18', text: 'they share police records with 2 children on the list', evidenceDate: '2025-04-01', source: 'network', audience: 'police' }];

/** The paragraphs the pipeline stored before this change, written out in full: the export must give these words exactly. */
const CHILD_ANALYSTS =
  'This person was deemed at risk because CSE was identified by call scripting when they were reported missing; they have been reported missing 3 times in the last 12 months. This person has the following contextual risk factors relating to at least one member of their family - domestic abuse. Missing person risk: 42 in 100. ' +
  DECISION_SUPPORT_STATEMENT;
const CHILD_PARTNERS =
  'This person was deemed at risk because they have been reported missing 3 times in the last 12 months. This person has the following contextual risk factors relating to at least one member of their family - domestic abuse. Missing person risk: 42 in 100. Police hold further information relevant to this child: contact the exploitation team. ' +
  DECISION_SUPPORT_STATEMENT;
const ADULT_ANALYSTS =
  'Listed on "CSE Risk – Subjects Over 18" because they share police records with 2 children on the list. Being on this list does not mean this person has done anything wrong: they may be a witness, an informant, an unwitting facilitator, or exploited themselves. ' +
  DECISION_SUPPORT_STATEMENT;
const LEGACY = 'This person was deemed at risk because of a rule from before reasons were items. Decision support, not a finding.';

function migrator(dialect: TfdDialect) {
  return new Migrator({ db: dialect.db, provider: { getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([name, make]) => [name, make(dialect)])) } });
}

/** A database as it stood before the change, holding one run with a child, an adult and a child from before items, each with its stored paragraph. */
async function databaseBeforeTheChange(dir: string): Promise<TfdDialect> {
  const dialect = await createDb({ databaseUrl: `sqlite:${join(dir, 'tfd.sqlite')}`, migrate: false });
  const { error } = await migrator(dialect).migrateTo(BEFORE);
  if (error) throw error;
  // The schema of then, not of now: typed loosely on purpose.
  const then = dialect.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  await then.insertInto('run').values({ run_id: RUN, as_of: '2025-06-30', status: 'published', started_at: '2025-06-30T08:00:00', finished_at: '2025-06-30T08:05:00', model_id: null, previous_run_id: null, summary: '{}', error: null }).execute();
  const score = (personId: string, finalScore: number, list: string, reasons: string, items: ReasonItem[] | null) => ({
    run_id: RUN, person_id: personId, as_of: '2025-06-30', age: list === 'over_18' ? 24 : 14, predictive_score: 0, index_score: 0, network_score: null, final_score: finalScore, band: 'high', on_list: 1,
    missing_person_risk: null, conduct_flags: 0, conduct_disorder_risk: 0, probability: null, reasons, reason_items: items === null ? null : JSON.stringify(items), contributions: '[]', list,
  });
  await then.insertInto('run_score').values([score('p-child', 90, 'children', CHILD_ANALYSTS, childItems), score('p-adult', 80, 'over_18', ADULT_ANALYSTS, adultItems), score('p-legacy', 70, 'children', LEGACY, null)]).execute();
  return dialect;
}

describe('reasons stored once, as items (migration 2026-12-08T0019)', () => {
  const tempDir = useTempDirs();

  it('drops the stored paragraph, keeping it only for rows scored before items existed', async () => {
    const dir = tempDir();
    const dialect = await databaseBeforeTheChange(dir);
    try {
      const { error } = await migrator(dialect).migrateToLatest();
      expect(error).toBeUndefined();
      const columns = (await sql<{ name: string }>`select name from pragma_table_info('run_score')`.execute(dialect.db)).rows.map((c) => c.name);
      expect(columns).not.toContain('reasons');
      expect(columns).toContain('reason_items');
      const rows = await dialect.db.selectFrom('run_score').select(['person_id', 'reasons_before_items']).orderBy('person_id').execute();
      expect(rows).toEqual([
        { person_id: 'p-adult', reasons_before_items: null },
        { person_id: 'p-child', reasons_before_items: null },
        { person_id: 'p-legacy', reasons_before_items: LEGACY },
      ]);
    } finally {
      await dialect.close();
    }
  });

  it('gives scores.csv the same reasons text as before, for analysts and for partners, rendered from the items', async () => {
    const dir = tempDir();
    const dialect = await databaseBeforeTheChange(dir);
    try {
      const { error } = await migrator(dialect).migrateToLatest();
      expect(error).toBeUndefined();
      await exportScores(dialect, join(dir, 'analysts.csv'), RUN, 'analysts');
      await exportScores(dialect, join(dir, 'partners.csv'), RUN, 'partners');
      const analysts = await readTable(join(dir, 'analysts.csv'));
      const partners = await readTable(join(dir, 'partners.csv'));
      expect(analysts.map((r) => [r.person_id, r.reasons])).toEqual([
        ['p-child', CHILD_ANALYSTS],
        ['p-adult', ADULT_ANALYSTS],
        ['p-legacy', LEGACY],
      ]);
      expect(partners.map((r) => [r.person_id, r.reasons])).toEqual([
        ['p-child', CHILD_PARTNERS],
        ['p-legacy', 'Reasons for this run are held by the exploitation team (scored before partner reasons existed).'],
      ]);
    } finally {
      await dialect.close();
    }
  });
});
