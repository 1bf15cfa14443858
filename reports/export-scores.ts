import { publishedRun, RunNotFoundError } from '../db/repositories/runs.js';
import { scoresOfRun, type RunScore } from '../db/repositories/run-scores.js';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { writeCsv } from './write-csv.js';
import { reasonParagraphForReader } from '../domain/access-policy.js';
import type { StaffRole } from '../domain/roles.js';

export { RunNotFoundError };

/** Any role outside the police sees the same: the export is built as a caseworker would see it. */
const PARTNER_ROLE: StaffRole = 'caseworker';
/** Analysts see every reason, police-only ones included. */
const ANALYST_ROLE: StaffRole = 'analyst';

export const SCORES_COLUMNS = ['run_id', 'person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'reasons'] as const;

/** The run to read: the named one if published, else the current one. */
export async function resolveRun(dialect: TfdDialect, runId?: string) {
  return publishedRun(dialect.db, runId);
}

/** Who a scores file is for: analysts get every reason; partners what a partner role may see. */
export type ScoresAudience = 'analysts' | 'partners';

/**
 * Writes a run's scores as the contract's scores.csv; returns the rows
 * written. For analysts, every row with the full reasons paragraph. For
 * partners, children only ("CSE Risk – Subjects Over 18" is police-only), and
 * reasons built by the access policy for a partner role: police-only reasons
 * replaced by the one neutral line. The paragraph is rendered here, from the
 * stored items, for that audience. A run scored before reasons were stored
 * as items has no partner text: its reasons column says so.
 */
export async function exportScores(dialect: TfdDialect, out: string, runId?: string, audience: ScoresAudience = 'analysts'): Promise<{ runId: string; rows: number }> {
  const run = await resolveRun(dialect, runId);
  async function* rows() {
    for await (const s of scoresOfRun(dialect.db, run.runId)) {
      if (audience === 'partners' && s.list === 'over_18') continue;
      yield [s.runId, s.personId, s.asOf, s.age, s.predictiveScore, s.indexScore, s.networkScore, s.finalScore, s.band, s.onList ? 1 : 0, reasonsFor(audience, s)];
    }
  }
  return { runId: run.runId, rows: await writeCsv(out, SCORES_COLUMNS, rows()) };
}

function reasonsFor(audience: ScoresAudience, s: RunScore): string {
  if (s.reasonItems === null) return audience === 'analysts' ? (s.reasonsBeforeItems ?? '') : 'Reasons for this run are held by the exploitation team (scored before partner reasons existed).';
  return reasonParagraphForReader(audience === 'analysts' ? ANALYST_ROLE : PARTNER_ROLE, s.reasonItems, s.list ?? 'children');
}
