import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleRejectedError, DatabaseNotEmptyError, formatProblem } from '../../db/import/bundle-problems.js';
import { importBundle } from '../../db/import/import-bundle.js';
import { editedCopy, FOREIGN_BUNDLE } from '../helpers/bundles.js';
import { freshSqlite, snapshot } from '../helpers/database.js';
import { useTempDirs } from '../helpers/temp.js';

const TODAY = '2026-11-23';

describe('importBundle', () => {
  const tempDir = useTempDirs();

  describe('given a bundle from another generator (reordered columns, CRLF, BOM, quoting)', () => {
    it('loads every row and reads values as the contract means them', async () => {
      const db = await freshSqlite(tempDir());
      const summary = await importBundle(db, FOREIGN_BUNDLE, { today: TODAY });
      expect(summary.rows).toMatchObject({ area: 2, person: 4, event: 4, event_party: 7, indicator_fact: 4, topaz_marker: 1 });

      const area = await db.db.selectFrom('area').selectAll().where('area_id', '=', 'BRS').executeTakeFirstOrThrow();
      expect(area.name).toBe('Bristol, City of');
      const people = await db.db.selectFrom('person').selectAll().orderBy('person_id').execute();
      expect(people[0]).toMatchObject({ person_id: 'p-001', date_of_birth: '2009-05-01', imd_decile: 2 });
      expect(people[1].ethnicity).toBe('Black, Caribbean');
      expect(people[2]).toMatchObject({ person_id: 'p-003', date_of_birth: null, ethnicity: null, imd_decile: null });
      const events = await db.db.selectFrom('event').selectAll().orderBy('event_id').execute();
      expect(events.map((e) => [e.event_type, e.occurred_at, e.cse_flag])).toEqual([
        ['missing_report', '2022-03-01T22:10:00', 1],
        ['call_card', '2022-03-05T01:00:00', 0],
        ['intelligence', '2022-03-09T11:00:00', null],
        ['crime', '2022-04-01T00:00:00', 0],
      ]);
      const marker = await db.db.selectFrom('topaz_marker').selectAll().executeTakeFirstOrThrow();
      expect(marker.note).toBe('Referred after E1;\nsee intelligence log, ref "X-1"');
      const school = await db.db.selectFrom('school').selectAll().where('school_id', '=', 'S1').executeTakeFirstOrThrow();
      expect(school).toMatchObject({ name: 'St Mary\'s "Star" Academy', phase: 'secondary' });

      expect(summary.notices.join('\n')).toMatch(/notes\.csv is not a contract table/);
      expect(summary.notices.join('\n')).toMatch(/1 indicator facts use 1 code\(s\) missing from indicator_catalogue \(sports_club\)/);
      const imports = await db.db.selectFrom('bundle_import').selectAll().execute();
      expect(imports).toHaveLength(1);
      expect(JSON.parse(imports[0].row_counts).person).toBe(4);
      await db.close();
    });
  });

  describe('staff.area_id, the contract’s optional column (empty or absent = every area)', () => {
    it('imports a bundle without it (every member of staff works for every area) and one with it', async () => {
      const older = await freshSqlite(tempDir());
      await importBundle(older, FOREIGN_BUNDLE, { today: TODAY });
      expect((await older.db.selectFrom('staff').select(['worker_id', 'area_id']).orderBy('worker_id').execute()).every((s) => s.area_id === null)).toBe(true);
      await older.close();
      const withAreas = editedCopy(FOREIGN_BUNDLE, join(tempDir(), 'with-areas'), 'staff.csv', (text) =>
        text
          .split(/\r?\n/)
          .map((line, i) => (line === '' ? line : `${line},${i === 0 ? 'area_id' : line.startsWith('W1,') ? 'BRS' : ''}`))
          .join('\n'),
      );
      const db = await freshSqlite(tempDir());
      await importBundle(db, withAreas, { today: TODAY });
      const staff = await db.db.selectFrom('staff').select(['worker_id', 'area_id']).orderBy('worker_id').execute();
      expect(staff.find((s) => s.worker_id === 'W1')?.area_id).toBe('BRS');
      expect(staff.filter((s) => s.worker_id !== 'W1').every((s) => s.area_id === null)).toBe(true);
      await db.close();
    });
  });

  describe('given a database that already holds a TFD', () => {
    it('refuses without --replace and changes nothing', async () => {
      const db = await freshSqlite(tempDir());
      await importBundle(db, FOREIGN_BUNDLE, { today: TODAY });
      const before = await snapshot(db);
      await expect(importBundle(db, FOREIGN_BUNDLE, { today: TODAY })).rejects.toBeInstanceOf(DatabaseNotEmptyError);
      expect(await snapshot(db)).toEqual(before);
      await db.close();
    });

    it('replaces it in one transaction with --replace', async () => {
      const db = await freshSqlite(tempDir());
      await importBundle(db, FOREIGN_BUNDLE, { today: TODAY });
      const again = await importBundle(db, FOREIGN_BUNDLE, { today: TODAY, replace: true });
      expect(again.rows.person).toBe(4);
      expect(await db.db.selectFrom('bundle_import').selectAll().execute()).toHaveLength(2);
      await db.close();
    });
  });

  // Each bad input: refused, located, and the database exactly as before (a
  // replace of an existing TFD is attempted, so the rollback is what keeps it).
  const BAD_INPUTS: [string, string, (t: string) => string, string][] = [
    ['a value of the wrong type', 'person.csv', (t) => t.replace('p-002,M,1990-01-31,"Black, Caribbean",2', 'p-002,M,1990-01-31,"Black, Caribbean",high'), 'person.csv:3:6 imd_decile: "high" is not a number'],
    ['an impossible date', 'indicator_fact.csv', (t) => t.replace('2022-03-01', '2022-02-29'), 'indicator_fact.csv:2:3 start_date: "2022-02-29" is not a real calendar date'],
    ['a value outside an enum', 'event.csv', (t) => t.replace('E4,crime', 'E4,arrest'), 'event.csv:5:2 event_type: "arrest" is not one of crime, intelligence, missing_report, call_card'],
    ['a foreign key to nobody', 'event_party.csv', (t) => t.replace('E2,p-002', 'E2,p-999'), 'event_party.csv:5:2 person_id "p-999" is not in person.csv'],
    ['a duplicate key', 'person.csv', (t) => t.replace('NSM,p-003', 'NSM,p-002'), 'person.csv:4:2 duplicate key (person_id=p-002) already defined earlier in the file'],
    ['a duplicate row the database catches', 'event_party.csv', (t) => `${t}E1,p-001,missing_person\n`, 'event_party.csv:9:0 duplicate key (event_id, person_id, role)'],
    ['an unknown column', 'area.csv', (t) => t.replace('name,area_id', 'name,area_id,nickname').replace(/BRS\r\n/, 'BRS,x\r\n').replace(/NSM\r\n/, 'NSM,y\r\n'), 'area.csv:1:3 unknown column "nickname"'],
    ['a missing column', 'topaz_marker.csv', (t) => t.replace('end_date,note', 'end_date').replace(/,"Referred[\s\S]*$/, '\n'), 'topaz_marker.csv:1:0 missing column "note"'],
    ['a row with too few fields', 'school_enrolment.csv', (t) => t.replace('p-001,S1,2020-09-01,', 'p-001,S1'), 'school_enrolment.csv:2:0 row has 2 fields; the header has 4'],
    ['an end before its start', 'family_membership.csv', (t) => t.replace('2011-02-28,2020-01-01', '2011-02-28,2010-01-01'), 'family_membership.csv:4:5 end_date 2010-01-01 is before start_date 2011-02-28'],
    ['a date of birth in the future', 'person.csv', (t) => t.replace('2011-02-28', '2030-01-01'), 'person.csv:5:4 date_of_birth 2030-01-01 is in the future'],
    ['a quote never closed', 'location.csv', (t) => t.replace('L2,park', 'L2,"park'), 'location.csv:3:2 a quoted field is never closed'],
    ['an identifier over 64 characters', 'staff.csv', (t) => t.replace('W2,Sam', `${'W'.repeat(65)},Sam`), 'staff.csv:3:1 worker_id: identifier is 65 characters'],
    ['an identifier a spreadsheet would run (@)', 'staff.csv', (t) => t.replace('W2,Sam', '@SUM(1+1),Sam'), 'staff.csv:3:1 worker_id: identifier "@SUM(1+1)" starts with "@", which a spreadsheet runs as a formula'],
    ['an identifier a spreadsheet would run (=)', 'staff.csv', (t) => t.replace('W2,Sam', '"=HYPERLINK(""http://x.example"",""y"")",Sam'), 'staff.csv:3:1 worker_id: identifier "=HYPERLINK("http://x.example","y")" starts with "="'],
    ['an identifier with a bidirectional control', 'staff.csv', (t) => t.replace('W2,Sam', 'W2\u202E,Sam'), 'staff.csv:3:1 worker_id: identifier "W2U+202E" may hold only letters'],
  ];

  for (const [what, file, edit, expected] of BAD_INPUTS) {
    describe(`given ${what}`, () => {
      it('refuses the bundle naming file, line and column, and leaves the database as it was', async () => {
        const dir = tempDir();
        const db = await freshSqlite(dir);
        await importBundle(db, FOREIGN_BUNDLE, { today: TODAY });
        const before = await snapshot(db);
        const bad = editedCopy(FOREIGN_BUNDLE, join(dir, 'bad'), file, edit);
        const error = await importBundle(db, bad, { today: TODAY, replace: true }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BundleRejectedError);
        expect(formatProblem((error as BundleRejectedError).problems[0])).toContain(expected);
        expect(await snapshot(db)).toEqual(before);
        await db.close();
      });
    });
  }

  describe('given a bundle missing a table file', () => {
    it('names the file before touching the database', async () => {
      const dir = tempDir();
      const db = await freshSqlite(dir);
      const bad = editedCopy(FOREIGN_BUNDLE, join(dir, 'bad'), 'staff.csv', (t) => t);
      rmSync(join(bad, 'staff.csv'));
      await expect(importBundle(db, bad, { today: TODAY })).rejects.toThrow(/staff\.csv: missing from the bundle/);
      expect((await snapshot(db)).person).toEqual([]);
      await db.close();
    });
  });

  describe('given several problems', () => {
    it('reports the first ones and counts the rest', async () => {
      const dir = tempDir();
      const db = await freshSqlite(dir);
      const bad = editedCopy(FOREIGN_BUNDLE, join(dir, 'bad'), 'event_party.csv', (t) => t.replace(/p-00\d/g, 'nobody'));
      const error = (await importBundle(db, bad, { today: TODAY, maxProblems: 3 }).catch((e: unknown) => e)) as BundleRejectedError;
      expect(error.problems).toHaveLength(3);
      expect(error.totalProblems).toBe(7);
      expect(error.message).toMatch(/… and 4 more/);
      await db.close();
    });
  });
});
