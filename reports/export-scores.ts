import type { TfdDialect } from '../db/dialect/dialect.js';
import { currentRun, runById, scoresForExport } from '../db/queries/run-queries.js';
import { UserFacingError } from '../domain/errors.js';
import { writeCsv } from './write-csv.js';
import { reasonsForReader } from '../domain/access-policy.js';
import { POLICE_HOLD_MORE } from '../domain/decision-support.js';
import { parseReasonItems, reasonParagraph } from '../domain/reason-item.js';
import type { StaffRole } from '../domain/roles.js';

/** Any role outside the police sees the same: the export is built as a caseworker would see it. */
const PARTNER_ROLE: StaffRole = 'caseworker';

export const SCORES_COLUMNS = ['run_id', 'person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'reasons'] as const;

export class RunNotFoundError extends UserFacingError {
  constructor(runId?: string) {
    super(runId ? `no published run "${runId}"` : 'no published scoring run yet: run `npm run cli -- score --wait` first');
  }
}

/** The run to read: the named one if published, else the current one. */
export async function resolveRun(dialect: TfdDialect, runId?: string) {
  const run = runId ? await runById(dialect.db, runId).executeTakeFirst() : await currentRun(dialect.db).executeTakeFirst();
  if (!run || run.status !== 'published') throw new RunNotFoundError(runId);
  return run;
}

/** Who a scores file is for: analysts get every reason; partners what a partner role may see. */
export type ScoresAudience = 'analysts' | 'partners';

/**
 * Writes a run's scores as the contract's scores.csv; returns the rows
 * written. For analysts, every row with the full reasons paragraph. For
 * partners, children only ("CSE Risk – Subjects Over 18" is police-only), and
 * reasons built by the access policy for a partner role: police-only reasons
 * replaced by the one neutral line. A run scored before reasons were stored
 * as items has no partner text: its reasons column says so.
 */
export async function exportScores(dialect: TfdDialect, out: string, runId?: string, audience: ScoresAudience = 'analysts'): Promise<{ runId: string; rows: number }> {
  const run = await resolveRun(dialect, runId);
  async function* rows() {
    for await (const r of scoresForExport(dialect.db, run.run_id).stream(10_000)) {
      if (audience === 'partners' && r.list === 'over_18') continue;
      const reasons = audience === 'analysts' ? r.reasons : partnerReasons(r.reason_items);
      yield [r.run_id, r.person_id, r.as_of, r.age, r.predictive_score, r.index_score, r.network_score, r.final_score, r.band, r.on_list, reasons];
    }
  }
  return { runId: run.run_id, rows: await writeCsv(out, SCORES_COLUMNS, rows()) };
}

function partnerReasons(stored: string | null): string {
  if (stored === null) return 'Reasons for this run are held by the exploitation team (scored before partner reasons existed).';
  const forPartner = reasonsForReader(PARTNER_ROLE, parseReasonItems(stored));
  return reasonParagraph(forPartner.items, forPartner.policeHoldMore ? [POLICE_HOLD_MORE] : []);
}
