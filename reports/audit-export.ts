import { basename } from 'node:path';
import type { TfdDb } from '../db/database.js';
import { appendAccessAudit, SYSTEM_ACTOR } from '../db/repositories/access-audit.js';

/** One export written: what the audit records about it. */
export interface ExportWritten {
  /** `export_scores`, `export_edges`, `export_network`, `export_audit`. */
  readonly action: string;
  /** The command as typed, e.g. `export scores --partners --out scores.csv`. */
  readonly command: string;
  readonly file: string;
  /** What the file holds, e.g. `12,391 people, partner view`. */
  readonly holds: string;
  readonly runId: string | null;
  /** The subject of a network export: the audit can then be searched by that person. */
  readonly personId?: string;
}

/**
 * Writes one audit row for an export, once its file is in place: a file of
 * people leaving the system is a disclosure like any card. The command line
 * has no Teams identity, so the actor is the system and the basis names the
 * command; who ran it is whoever holds the database credentials.
 */
export async function auditExportWritten(db: TfdDb, written: ExportWritten, now: Date = new Date()): Promise<void> {
  await appendAccessAudit(db, [{
    actor: SYSTEM_ACTOR,
    action: written.action,
    personId: written.personId ?? null,
    outcome: 'allowed',
    basis: `command line \`${written.command}\` (no Teams identity: recorded as the system)`,
    shown: `${basename(written.file)} (${written.file}): ${written.holds}`,
    runId: written.runId,
    channel: 'cli',
  }], now);
}
