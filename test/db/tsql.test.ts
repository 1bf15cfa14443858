import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../db/migrations/index.js';
import { PROJECT_QUERIES } from '../../db/queries/registry.js';
import { capturingMssql } from '../helpers/mssql-capture.js';
import { tsqlProblems } from '../helpers/tsql-check.js';

const statementType = (text: string) => text.trim().split(/\s+/)[0].toLowerCase();

describe('T-SQL validity (no SQL Server runs here, so every statement is compiled for it and parsed)', () => {
  // Migrations with nothing to do on SQL Server, and why (reviewed, not a pass).
  const SQLITE_ONLY: Record<string, string> = {
    '2026-12-04T0008-audit-no-replace': 'SQL Server has no INSERT OR REPLACE; MERGE needs the UPDATE permission the service login is denied',
  };
  describe('migrations', () => {
    for (const [name, make] of Object.entries(MIGRATIONS)) {
      it(`${name} emits only valid T-SQL`, async () => {
        const { dialect, captured } = capturingMssql();
        await make(dialect).up(dialect.db as never);
        if (SQLITE_ONLY[name]) expect(captured).toEqual([]);
        else expect(captured.length).toBeGreaterThan(0);
        for (const text of captured) expect(tsqlProblems(text, statementType(text)), text).toEqual([]);
      });
    }
  });

  describe('queries', () => {
    for (const [name, query] of Object.entries(PROJECT_QUERIES)) {
      it(`${name} compiles to valid T-SQL`, () => {
        const { dialect } = capturingMssql();
        const text = query.build(dialect.db).compile().sql;
        expect(tsqlProblems(text, query.type), text).toEqual([]);
      });
    }
  });

  describe('the check itself', () => {
    const { dialect } = capturingMssql();
    const db = dialect.db;
    const SQLITE_ONLY: [string, string][] = [
      ['.limit() compiled for SQL Server', db.selectFrom('person').selectAll().limit(10).compile().sql],
      ['INSERT OR IGNORE', 'insert or ignore into "person" ("person_id") values (@1)'],
      ['strftime()', db.selectFrom('person').select(sql`strftime('%Y', "date_of_birth")`.as('y')).compile().sql],
      ['|| concatenation', `select "person_id" || 'x' as "v" from "person"`],
      ['ifnull()', `select ifnull("sex", 'U') as "s" from "person"`],
      ['RETURNING', 'delete from "person" where "person_id" = @1 returning "person_id"'],
      ['AUTOINCREMENT', 'create table "t" ("id" integer primary key autoincrement)'],
      ['group_concat()', 'select group_concat("person_id") as "ids" from "person"'],
      ['ALTER TABLE … ADD COLUMN', 'alter table "run_score" add column "list" nvarchar(400)'],
    ];
    for (const [what, text] of SQLITE_ONLY) {
      it(`rejects ${what}`, () => {
        expect(tsqlProblems(text, statementType(text)).length).toBeGreaterThan(0);
      });
    }
    it('accepts TOP and OFFSET … FETCH', () => {
      expect(tsqlProblems(db.selectFrom('person').selectAll().top(10).compile().sql, 'select')).toEqual([]);
      expect(tsqlProblems('select * from "person" order by "person_id" offset 10 rows fetch next 5 rows only', 'select')).toEqual([]);
    });
  });
});
