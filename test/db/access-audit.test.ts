import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { exportAudit, AUDIT_COLUMNS } from '../../reports/export-audit.js';
import { PROJECT_QUERIES } from '../../db/queries/registry.js';
import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { readTable } from '../helpers/csv-table.js';
import { freshSqlite } from '../helpers/database.js';
import { capturingMssql } from '../helpers/mssql-capture.js';
import { useTempDirs } from '../helpers/temp.js';
import { join } from 'node:path';

const entry = (personId: string | null, workerId: string, outcome: AuditEntry['outcome'] = 'allowed'): AuditEntry => ({
  actor: { aadObjectId: `aad-${workerId}`, workerId, role: 'caseworker' },
  action: 'profile',
  personId,
  outcome,
  basis: 'caseworker has an open involvement, "quoted", with a comma',
  shown: 'header; scores (final 72, band high)\nsecond line',
  runId: 'run-1',
  channel: 'msteams:personal:a:1',
});

describe('the access audit', () => {
  const tempDir = useTempDirs();

  it('exports for the DPO with filters by day, person and member of staff, oldest first, CSV-safe', async () => {
    const db = await freshSqlite(tempDir());
    await appendAccessAudit(db.db, [entry('P1', 'W1')], new Date('2026-03-01T23:59:00Z'));
    await appendAccessAudit(db.db, [entry('P2', 'W1', 'refused')], new Date('2026-03-02T08:00:00Z'));
    await appendAccessAudit(db.db, [entry('P1', 'W2')], new Date('2026-03-03T00:00:00Z'));
    const out = join(tempDir(), 'audit.csv');

    expect(await exportAudit(db, out, {})).toBe(3);
    const all = await readTable(out);
    expect(Object.keys(all[0])).toEqual([...AUDIT_COLUMNS]);
    expect(all.map((r) => r.person_id)).toEqual(['P1', 'P2', 'P1']);
    expect(all[0].basis).toBe('caseworker has an open involvement, "quoted", with a comma');
    expect(all[0].shown).toBe('header; scores (final 72, band high)\nsecond line');
    expect(all[1].outcome).toBe('refused');

    expect(await exportAudit(db, out, { personId: 'P1' })).toBe(2);
    expect(await exportAudit(db, out, { workerId: 'W1' })).toBe(2);
    // `to` as a day includes the whole of that day; the next day's midnight is out.
    expect(await exportAudit(db, out, { from: '2026-03-01', to: '2026-03-02' })).toBe(2);
    expect(await exportAudit(db, out, { from: '2026-03-02' })).toBe(2);
    await db.close();
  });

  it('has no query in the project that updates or deletes it', () => {
    const { dialect } = capturingMssql();
    const touching = Object.entries(PROJECT_QUERIES).filter(([, q]) => (q.type === 'update' || q.type === 'delete') && /access_audit/.test(q.build(dialect.db).compile().sql));
    expect(touching.map(([name]) => name)).toEqual([]);
    // The check sees access_audit when a statement names it.
    expect(/access_audit/.test(dialect.db.deleteFrom('access_audit').compile().sql)).toBe(true);
  });

  it('refuses INSERT OR REPLACE and an upsert on an existing entry, so no entry can be rewritten', async () => {
    const db = await freshSqlite(tempDir());
    await appendAccessAudit(db.db, [entry('P1', 'W1')], new Date('2026-03-01T10:00:00Z'));
    const [row] = await db.db.selectFrom('access_audit').selectAll().execute();
    const replace = sql`insert or replace into access_audit (audit_id, occurred_at, action, outcome, basis, shown) values (${row.audit_id}, '2026-01-01T00:00:00', 'profile', 'allowed', 'rewritten', '')`;
    await expect(replace.execute(db.db)).rejects.toThrow(/append-only/);
    const upsert = sql`insert into access_audit (audit_id, occurred_at, action, outcome, basis, shown) values (${row.audit_id}, '2026-01-01T00:00:00', 'profile', 'allowed', 'rewritten', '') on conflict (audit_id) do update set basis = 'rewritten'`;
    await expect(upsert.execute(db.db)).rejects.toThrow(/append-only/);
    const after = await db.db.selectFrom('access_audit').selectAll().execute();
    expect(after).toEqual([row]);
    // A new entry still goes in.
    await appendAccessAudit(db.db, [entry('P2', 'W1')]);
    expect(await db.db.selectFrom('access_audit').selectAll().execute()).toHaveLength(2);
    await db.close();
  });

  it('bounds what a caller presents before it is stored', async () => {
    const db = await freshSqlite(tempDir());
    const huge = 'x'.repeat(200_000);
    await appendAccessAudit(db.db, [{ ...entry(null, 'W1'), actor: { aadObjectId: huge, workerId: null, role: null }, channel: huge, basis: huge }]);
    const [row] = await db.db.selectFrom('access_audit').selectAll().execute();
    expect(row.actor_aad_object_id!.length).toBeLessThanOrEqual(128);
    expect(row.channel!.length).toBeLessThanOrEqual(1_200);
    expect(row.basis.length).toBeLessThanOrEqual(4_000);
    expect(row.basis).toMatch(/\[200000 characters, cut\]$/);
    await db.close();
  });

  it('writes formula-looking cells in the DPO export as text, not formulas', async () => {
    const db = await freshSqlite(tempDir());
    await appendAccessAudit(db.db, [{ ...entry(null, 'W1'), actor: { aadObjectId: '=HYPERLINK("http://x.example","y")', workerId: null, role: null }, basis: '@SUM(1+1)' }]);
    const out = join(tempDir(), 'audit.csv');
    await exportAudit(db, out, {});
    const [row] = await readTable(out);
    expect(row.actor_aad_object_id).toBe(`'=HYPERLINK("http://x.example","y")`);
    expect(row.basis).toBe("'@SUM(1+1)");
    await db.close();
  });
});
