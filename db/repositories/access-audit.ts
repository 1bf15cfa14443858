import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AuditChainVerifier, auditEntryHash, GENESIS_HASH, type ChainedAuditEntry, type ChainHead, type ChainVerdict } from '../../domain/audit-chain.js';
import { UserFacingError } from '../../domain/errors.js';
import { advanceAuditHead, appendAudit, auditChainFrom, auditHead, auditOutsideChain, lockAuditHead } from '../queries/audit-queries.js';
import type { AccessAuditRow, AuditOutcome, Database } from '../schema/database-schema.js';

/** Who acted: a recognised member of staff, an unrecognised Teams user, or the system. */
export interface AuditActor {
  readonly aadObjectId: string | null;
  readonly workerId: string | null;
  readonly role: string | null;
}

export interface AuditEntry {
  readonly actor: AuditActor;
  readonly action: string;
  readonly personId: string | null;
  readonly outcome: AuditOutcome;
  readonly basis: string;
  readonly shown: string;
  readonly runId: string | null;
  readonly channel: string | null;
}

export class AuditWriteError extends UserFacingError {
  constructor(cause: unknown) {
    super(`the access audit could not be written, so nothing was disclosed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** Whatever a caller presents is bounded before it is stored: the audit must not become a place to park megabytes. */
function clip(value: string | null, max: number): string | null {
  if (value === null || value.length <= max) return value;
  return `${value.slice(0, max - 30)}… [${value.length} characters, cut]`;
}

/** Rows per insert statement: 15 columns, well under SQL Server's 2,100 parameters. */
const ROWS_PER_STATEMENT = 150;

/**
 * Appends entries to the access audit in one transaction, all or none.
 * Callers disclose only after this resolves: a failed audit means no answer.
 */
export async function appendAccessAudit(db: Kysely<Database>, entries: readonly AuditEntry[], now: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  const at = now.toISOString().slice(0, 23);
  const unchained = entries.map((e) => ({
    audit_id: randomUUID(),
    occurred_at: at,
    actor_aad_object_id: clip(e.actor.aadObjectId, 128),
    actor_worker_id: clip(e.actor.workerId, 64),
    actor_role: clip(e.actor.role, 64),
    action: clip(e.action, 64)!,
    person_id: clip(e.personId, 64),
    outcome: e.outcome,
    basis: clip(e.basis, 4_000)!,
    shown: clip(e.shown, 4_000)!,
    run_id: clip(e.runId, 64),
    channel: clip(e.channel, 1_200),
  }));
  try {
    const write = async (tx: Kysely<Database>) => {
      // The lock comes first, so the tail read next is the tail this transaction extends (audit-queries.ts).
      await lockAuditHead(tx).execute();
      const head = await readHead(tx);
      if (!head) throw new Error('the audit chain head is missing (audit_chain_head): run the migrations, or `audit verify`');
      let prevHash = head.hash;
      let seq = head.seq;
      const rows: AccessAuditRow[] = unchained.map((row) => {
        seq++;
        const rowHash = auditEntryHash(seq, row, prevHash);
        const chained = { ...row, seq, prev_hash: prevHash, row_hash: rowHash };
        prevHash = rowHash;
        return chained;
      });
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await appendAudit(tx, rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
      await advanceAuditHead(tx, seq, prevHash, at).execute();
    };
    // Inside a caller's transaction (a run's publish) the entries share its fate.
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
  } catch (error) {
    throw new AuditWriteError(error);
  }
}

export const SYSTEM_ACTOR: AuditActor = { aadObjectId: null, workerId: null, role: 'system' };

async function readHead(db: Kysely<Database>): Promise<ChainHead | null> {
  const row = await auditHead(db).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.row_hash } : null;
}

/** SQL Server hands back datetime2 as a Date, SQLite the text written: both become the text that was hashed. */
const asChained = (row: AccessAuditRow): ChainedAuditEntry => ({
  ...row,
  occurred_at: (row.occurred_at as unknown) instanceof Date ? (row.occurred_at as unknown as Date).toISOString().slice(0, 23) : row.occurred_at,
  seq: row.seq === null ? null : Number(row.seq),
});

/**
 * Walks the whole chain, oldest first, against the head stored beside it and,
 * if given, a head kept elsewhere (`audit verify --head`). Entries appended
 * while it walks are walked too, up to the head read at the end.
 */
export async function verifyAccessAudit(db: Kysely<Database>, anchor?: ChainHead): Promise<ChainVerdict> {
  const verifier = new AuditChainVerifier();
  if (anchor) verifier.watchAnchor(anchor);
  let head = await readHead(db);
  for (let pass = 0; pass < 3; pass++) {
    for await (const row of auditChainFrom(db, verifier.lastSeq).stream(5_000)) {
      verifier.push(asChained(row));
      if (verifier.failed) break;
    }
    head = await readHead(db);
    if (verifier.failed || !head || head.seq <= verifier.lastSeq) break;
  }
  const verdict = verifier.finish(head, anchor);
  if (!verdict.ok) return verdict;
  const outside = await auditOutsideChain(db).execute();
  if (outside.length > 0) {
    return { ok: false, entries: verdict.entries, broken: { kind: 'inserted', seq: null, auditId: outside[0].audit_id, detail: `audit id ${outside[0].audit_id} was inserted outside the chain (no seq)${outside.length > 1 ? `, and ${outside.length - 1} more` : ''}` } };
  }
  return verdict;
}

export { GENESIS_HASH };
export type { ChainHead, ChainVerdict };
