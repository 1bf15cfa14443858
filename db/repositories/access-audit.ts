import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { UserFacingError } from '../../domain/errors.js';
import { appendAudit } from '../queries/audit-queries.js';
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

/** Rows per insert statement: 12 columns, well under SQL Server's 2,100 parameters. */
const ROWS_PER_STATEMENT = 150;

/**
 * Appends entries to the access audit in one transaction, all or none.
 * Callers disclose only after this resolves: a failed audit means no answer.
 */
export async function appendAccessAudit(db: Kysely<Database>, entries: readonly AuditEntry[], now: Date = new Date()): Promise<void> {
  if (entries.length === 0) return;
  const at = now.toISOString().slice(0, 23);
  const rows: AccessAuditRow[] = entries.map((e) => ({
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
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await appendAudit(tx, rows.slice(i, i + ROWS_PER_STATEMENT)).execute();
    };
    // Inside a caller's transaction (a run's publish) the entries share its fate.
    if (db.isTransaction) await write(db);
    else await db.transaction().execute(write);
  } catch (error) {
    throw new AuditWriteError(error);
  }
}

export const SYSTEM_ACTOR: AuditActor = { aadObjectId: null, workerId: null, role: 'system' };
