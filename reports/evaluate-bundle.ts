import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb } from '../db/database.js';
import { exportModelCard } from './export-model-card.js';
import { importBundle } from '../db/import/import-bundle.js';
import { readTruth } from '../db/import/read-truth.js';
import { agencyKnowledge } from '../db/repositories/agency-knowledge.js';
import { scoreRun, type RunSummary, type Stage } from '../worker/pipeline/score-run.js';
import type { ScoringConfig } from '../worker/scoring/scoring-config.js';
import { dayOf } from '../domain/days.js';
import type { RunEvaluation, TruthLabels } from '../worker/evaluation/run-evaluation.js';

export interface BundleEvaluation {
  readonly summary: RunSummary;
  readonly evaluation: RunEvaluation;
  readonly html: string;
  readonly json: string;
  readonly truth: boolean;
}

/**
 * `eval --bundle`: imports a bundle into a scratch SQLite database, runs the
 * whole pipeline in this process, and writes the model card. With the
 * bundle's truth.csv (synthetic bundles only) the card also judges the run
 * against who was really exploited, including children no agency knew of.
 */
export async function evaluateBundle(bundle: string, outDir: string, options: { asOf?: string; config?: ScoringConfig; onStage?: (stage: Stage) => void; log?: (line: string) => void } = {}): Promise<BundleEvaluation> {
  const log = options.log ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'tfd-eval-'));
  const db = await createDb({ databaseUrl: `sqlite:${join(scratch, 'tfd.sqlite')}` });
  try {
    log(`importing ${bundle} into a scratch database …`);
    await importBundle(db, bundle);
    const truthPath = join(bundle, 'truth.csv');
    let truth: TruthLabels | undefined;
    if (existsSync(truthPath)) {
      const entries = await readTruth(truthPath);
      // The earliest day each person became known to an agency: accepted onto the service, or marked a Topaz victim.
      const knownFrom = new Map<string, number>();
      const known = (id: string, day: number) => knownFrom.set(id, Math.min(day, knownFrom.get(id) ?? day));
      for (const k of await agencyKnowledge(db.db)) known(k.personId, dayOf(k.from));
      truth = {
        exploited: (id, asOf) => {
          const e = entries.get(id);
          return e?.exploited === true && e.exploitationStart !== null && dayOf(e.exploitationStart) <= asOf;
        },
        known: (id, asOf) => (knownFrom.get(id) ?? Infinity) <= asOf,
        exploiter: (id) => entries.get(id)?.exploiter ?? false,
      };
      log(`ground truth: ${[...entries.values()].filter((e) => e.exploited).length} exploited people in truth.csv (used for evaluation only)`);
    }
    log('scoring run …');
    const summary = await scoreRun(db, { asOf: options.asOf, config: options.config, truth, onStage: options.onStage });
    const { html, json, evaluation } = await exportModelCard(db, outDir, summary.runId);
    return { summary, evaluation, html, json, truth: truth !== undefined };
  } finally {
    await db.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
