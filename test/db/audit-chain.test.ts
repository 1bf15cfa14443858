import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Migrator, sql, type Migration } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createDb, openDialect } from '../../db/database.js';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { MIGRATIONS } from '../../db/migrations/index.js';
import { appendAccessAudit, verifyAccessAudit, type AuditEntry, type ChainHead } from '../../db/repositories/access-audit.js';
import { auditEntryHash, chainVerdictLine, GENESIS_HASH } from '../../domain/audit-chain.js';
import { exportAudit } from '../../reports/export-audit.js';
import { readTable } from '../helpers/csv-table.js';
import { freshSqlite } from '../helpers/database.js';
import { useTempDirs } from '../helpers/temp.js';

const entry = (personId: string, workerId = 'W1'): AuditEntry => ({
  actor: { aadObjectId: `aad-${workerId}`, workerId, role: 'caseworker' },
  action: 'profile',
  personId,
  outcome: 'allowed',
  basis: `open involvement with ${personId}`,
  shown: 'header; scores',
  runId: 'run-1',
  channel: 'msteams:personal:a:1',
});

/** The line `audit verify` prints, without a process per test (two tests run the real command). */
async function verifyLine(file: string, anchor?: ChainHead) {
  const db = await createDb({ databaseUrl: `sqlite:${file}` });
  try {
    const verdict = await verifyAccessAudit(db.db, anchor);
    return { ok: verdict.ok, line: chainVerdictLine(verdict) };
  } finally {
    await db.close();
  }
}

/** `npm run cli -- audit verify` against the file, as the DPO would run it. */
function verifyCli(file: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'audit', 'verify', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: `sqlite:${file}` } });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr.trim() };
}

/** What someone with the file can do: lift a trigger, tamper, put it back. */
async function withoutTrigger(db: TfdDialect, verb: 'update' | 'delete', tamper: () => Promise<unknown>) {
  await sql.raw(`drop trigger "tr_access_audit_no_${verb}"`).execute(db.db);
  await tamper();
  await sql
    .raw(`create trigger "tr_access_audit_no_${verb}" before ${verb} on "access_audit" begin select raise(abort, 'access_audit is append-only: entries cannot be changed or removed'); end`)
    .execute(db.db);
}

async function fiveEntries(dir: string) {
  const db = await freshSqlite(dir);
  for (const p of ['P1', 'P2', 'P3']) await appendAccessAudit(db.db, [entry(p)], new Date(`2026-03-0${p.slice(1)}T10:00:00Z`));
  await appendAccessAudit(db.db, [entry('P4'), entry('P5')], new Date('2026-03-04T10:00:00Z'));
  const rows = await db.db.selectFrom('access_audit').selectAll().orderBy('seq').execute();
  return { db, rows, file: join(dir, 'tfd.sqlite') };
}

describe('the access audit hash chain', () => {
  const tempDir = useTempDirs();

  it('chains every entry to the one before, and `audit verify` prints one OK line with the count and the head', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].row_hash);
    expect(rows[2].row_hash).toBe(auditEntryHash(3, rows[2], rows[1].row_hash!));
    await db.close();
    const result = verifyCli(file);
    expect(result).toEqual({ status: 0, out: `audit chain OK: 5 entries; head 5:${rows[4].row_hash}`, err: '' });
  });

  it('names an altered entry', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    await withoutTrigger(db, 'update', () => db.db.updateTable('access_audit').set({ basis: 'nothing to see' }).where('seq', '=', 2).execute());
    await db.close();
    const result = verifyCli(file);
    expect(result.status).toBe(1);
    expect(result.err).toBe(`audit chain BROKEN at seq 2 (audit id ${rows[1].audit_id}): altered: seq 2 (audit id ${rows[1].audit_id}) was altered: its fields no longer match its hash (1 entries before it hold)`);
  });

  it('names an entry altered and re-hashed, by the link after it', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    const forged = { ...rows[1], person_id: 'P9' };
    await withoutTrigger(db, 'update', () => db.db.updateTable('access_audit').set({ person_id: 'P9', row_hash: auditEntryHash(2, forged, forged.prev_hash!) }).where('seq', '=', 2).execute());
    await db.close();
    const result = await verifyLine(file);
    expect(result.ok).toBe(false);
    expect(result.line).toBe(
      `audit chain BROKEN at seq 2 (audit id ${rows[1].audit_id}): altered: seq 2 (audit id ${rows[1].audit_id}) was altered and re-hashed, or replaced: seq 3 (audit id ${rows[2].audit_id}) records a different previous hash (1 entries before it hold)`,
    );
  });

  it('names a deletion made after dropping and recreating the trigger', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    await withoutTrigger(db, 'delete', () => db.db.deleteFrom('access_audit').where('seq', '=', 3).execute());
    await db.close();
    const result = await verifyLine(file);
    expect(result.ok).toBe(false);
    expect(result.line).toBe(
      `audit chain BROKEN at seq 3 (audit id ${rows[3].audit_id}): deleted: seq 3 is missing after seq 2 (audit id ${rows[1].audit_id}), before seq 4 (audit id ${rows[3].audit_id}): entries were deleted (2 entries before it hold)`,
    );
  });

  it('names the latest entries deleted, against the head', async () => {
    const { db, file } = await fiveEntries(tempDir());
    await withoutTrigger(db, 'delete', () => db.db.deleteFrom('access_audit').where('seq', '>=', 4).execute());
    await db.close();
    const result = await verifyLine(file);
    expect(result.ok).toBe(false);
    expect(result.line).toBe('audit chain BROKEN at seq 4: deleted: seq 4–5 are missing at the end (the head records seq 5): the latest entries were deleted (3 entries before it hold)');
  });

  it('names an entry inserted in the middle, even one hashed into place', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    // The forger knows the algorithm (it is open source) and lifts the unique index too.
    await sql.raw('drop index "ux_access_audit_seq"').execute(db.db);
    const fields = { ...rows[2], audit_id: '00000000-forged', person_id: 'P7', basis: 'made up' };
    await db.db
      .insertInto('access_audit')
      .values({ ...fields, seq: 3, prev_hash: rows[1].row_hash, row_hash: auditEntryHash(3, fields, rows[1].row_hash!) })
      .execute();
    await db.close();
    const result = await verifyLine(file);
    expect(result.ok).toBe(false);
    expect(result.line).toBe(`audit chain BROKEN at seq 3 (audit id 00000000-forged): inserted: seq 3 (audit id 00000000-forged) was inserted: the chain runs through audit id ${rows[2].audit_id} at seq 3 (2 entries before it hold)`);
  });

  it('names an entry inserted with no place in the chain', async () => {
    const { db, file } = await fiveEntries(tempDir());
    await db.db.insertInto('access_audit').values({ ...entryRow('extra'), seq: null, prev_hash: null, row_hash: null }).execute();
    await db.close();
    const result = await verifyLine(file);
    expect(result.ok).toBe(false);
    expect(result.line).toBe('audit chain BROKEN at seq - (audit id extra): inserted: audit id extra was inserted outside the chain (no seq) (5 entries before it hold)');
  });

  it('detects a whole chain rewritten with its head only against a head kept elsewhere', async () => {
    const { db, rows, file } = await fiveEntries(tempDir());
    const kept = `3:${rows[2].row_hash}`;
    // Rewrite everything from seq 2 on, hashes and head included.
    await withoutTrigger(db, 'update', async () => {
      let prev = rows[0].row_hash!;
      for (const row of rows.slice(1)) {
        const fields = { ...row, basis: 'rewritten' };
        const hash = auditEntryHash(row.seq!, fields, prev);
        await db.db.updateTable('access_audit').set({ basis: 'rewritten', prev_hash: prev, row_hash: hash }).where('seq', '=', row.seq).execute();
        prev = hash;
      }
      await db.db.updateTable('audit_chain_head').set({ row_hash: prev }).execute();
    });
    await db.close();
    expect((await verifyLine(file)).ok).toBe(true);
    const result = verifyCli(file, '--head', kept);
    expect(result.status).toBe(1);
    expect(result.err).toBe(`audit chain BROKEN at seq 3 (audit id ${rows[2].audit_id}): altered: seq 3 no longer has the hash you kept (${rows[2].row_hash!.slice(0, 12)}…): the chain up to it was rewritten (5 entries before it hold)`);
  });

  it('chains the entries written before the migration, oldest first, and the DPO export carries the chain', async () => {
    const dir = tempDir();
    const file = join(dir, 'tfd.sqlite');
    const dialect = openDialect(`sqlite:${file}`);
    const provider = { getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([n, make]) => [n, make(dialect)])) as Record<string, Migration> };
    const { error } = await new Migrator({ db: dialect.db, provider }).migrateTo('2026-12-04T0013-meeting-chats');
    expect(error).toBeUndefined();
    const old = (id: string, at: string) => sql`insert into access_audit (audit_id, occurred_at, action, person_id, outcome, basis, shown) values (${id}, ${at}, 'profile', 'P1', 'allowed', 'b', 's')`.execute(dialect.db);
    await old('b-second', '2026-01-02T00:00:00.000');
    await old('a-first', '2026-01-01T00:00:00.000');
    await old('c-third', '2026-01-02T00:00:00.000');
    await dialect.close();

    const db = await createDb({ databaseUrl: `sqlite:${file}` });
    await appendAccessAudit(db.db, [entry('P4')], new Date('2026-02-01T00:00:00Z'));
    const rows = await db.db.selectFrom('access_audit').select(['audit_id', 'seq']).orderBy('seq').execute();
    expect(rows.map((r) => [r.audit_id, r.seq])).toEqual([['a-first', 1], ['b-second', 2], ['c-third', 3], [rows[3].audit_id, 4]]);
    const out = join(dir, 'audit.csv');
    expect(await exportAudit(db, out, {})).toBe(4);
    const csv = await readTable(out);
    expect(csv.map((r) => [r.seq, r.audit_id])).toEqual(rows.map((r) => [String(r.seq), r.audit_id]));
    expect(csv[3].prev_hash).toBe(csv[2].row_hash);
    await db.close();
    expect((await verifyLine(file)).line).toMatch(/^audit chain OK: 4 entries; head 4:[0-9a-f]{64}$/);
  });

  it('does not fork when two processes append at once', async () => {
    const dir = tempDir();
    const file = join(dir, 'tfd.sqlite');
    (await freshSqlite(dir)).close();
    const script = `
      const { createDb } = await import('./db/database.ts');
      const { appendAccessAudit } = await import('./db/repositories/access-audit.ts');
      const db = await createDb({ databaseUrl: ${JSON.stringify(`sqlite:${file}`)}, migrate: false, busyTimeoutMs: 20000 });
      for (let i = 0; i < 40; i++) await appendAccessAudit(db.db, [{ actor: { aadObjectId: null, workerId: process.argv[1], role: 'system' }, action: 'profile', personId: 'P' + i, outcome: 'allowed', basis: 'b', shown: 's', runId: null, channel: null }]);
      await db.close();`;
    const run = (name: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, name], { stdio: 'inherit' });
        child.on('exit', resolve);
      });
    expect(await Promise.all([run('A'), run('B')])).toEqual([0, 0]);
    expect((await verifyLine(file)).line).toMatch(/^audit chain OK: 80 entries; head 80:[0-9a-f]{64}$/);
  });
});

function entryRow(id: string) {
  return { audit_id: id, occurred_at: '2026-03-09T00:00:00.000', actor_aad_object_id: null, actor_worker_id: null, actor_role: null, action: 'profile', person_id: 'P1', outcome: 'allowed' as const, basis: 'b', shown: 's', run_id: null, channel: null };
}
