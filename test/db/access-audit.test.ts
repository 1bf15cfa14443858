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
});
