import { Command } from 'commander';
import { withDb } from '../with-db.js';
import { UserFacingError } from '../../domain/errors.js';
import { exportModelCard } from '../../reports/export-model-card.js';
import { evaluateBundle } from '../../reports/evaluate-bundle.js';
import { readTruth } from '../../db/import/read-truth.js';
import { agencyKnowledge } from '../../db/repositories/agency-knowledge.js';
import { placementsInRun } from '../../db/repositories/run-scores.js';
import { publishedRunWithSummary } from '../../db/repositories/runs.js';
import { evaluateAgainstTruth } from '../../worker/model/truth-evaluation.js';
import { runSummaryCodec } from '../../worker/pipeline/run-summary.js';
import { formatRunSummary, formatTruth } from '../format-run.js';
import { num, pct } from '../../domain/figures.js';

export const evalCommand = new Command('eval')
  .description('evaluate a run and write its model card. With --bundle: import the bundle into a scratch database, run the whole pipeline and write the model card (HTML + JSON) to --out (with the bundle’s truth.csv, also against ground truth). Without: print the current (or --run) run’s evaluation, write its card with --out, and with --truth judge it against synthetic ground truth')
  .option('--bundle <dir>', 'a contract bundle to evaluate from scratch (DATABASE_URL is not touched)')
  .option('--out <dir>', 'folder for model-card.html and model-card.json')
  .option('--as-of <date>', 'with --bundle: score as of this date (default: the latest recorded)')
  .option('--run <id>', 'run id (default: the current run)')
  .option('--truth <file>', 'a synthetic bundle’s truth.csv')
  .action(async (opts) => {
    if (opts.bundle) {
      if (!opts.out) throw new UserFacingError('eval --bundle needs --out <dir> for the model card');
      const result = await evaluateBundle(opts.bundle, opts.out, { asOf: opts.asOf, log: (line) => console.log(line), onStage: (stage) => console.log(`  stage: ${stage}`) });
      console.log(formatRunSummary(result.summary));
      if (result.evaluation.truth) {
        const t = result.evaluation.truth;
        console.log(`  against ground truth: ${t.onList} of ${t.exploited} exploited children on the list (${pct(t.recall)}); never known to any agency: ${t.neverKnownOnList} of ${t.neverKnown} (${pct(t.neverKnownRecall)}); ${pct(t.precision)} of the list exploited`);
        if (t.overEighteen) console.log(`  CSE Risk – Subjects Over 18 against ground truth: ${t.overEighteen.exploitersListed} of ${t.overEighteen.listed} listed adults are among the generator's ${t.overEighteen.exploiters} exploiters and facilitators (${pct(t.overEighteen.precision)}); the rest share records with children at risk for other reasons`);
      }
      const b = result.evaluation.baseline.truth;
      if (b) {
        console.log(`  ranking against ground truth: average precision of the final score ${num(b.model.averagePrecision)}, of the plain baseline ${num(b.baseline.averagePrecision)}`);
        if (b.model.averagePrecision < b.baseline.averagePrecision) console.log('  WARNING: against ground truth the final score ranks worse than the plain baseline');
      }
      for (const [which, audit] of Object.entries(result.evaluation.bias)) {
        if (audit) {
          const describe = (f: (typeof audit.flags)[number]) => `${f.attribute}=${f.group} ${f.metric} ×${f.ratio.toFixed(2)} (${f.low.toFixed(2)}–${f.high.toFixed(2)})`;
          console.log(`  bias audit (${which}): ${audit.flags.length === 0 ? 'no error-rate disparity outside the 0.8–1.25 parity band' : `error-rate disparities: ${audit.flags.map(describe).join('; ')}`}`);
          if (audit.context?.length) console.log(`    context (list rates, not flags): ${audit.context.map(describe).join('; ')}`);
        }
      }
      console.log(`model card: ${result.html} (and ${result.json})`);
      return;
    }
    await withDb(async (db) => {
      if (opts.out) {
        const card = await exportModelCard(db, opts.out, opts.run);
        console.log(`model card of run ${card.runId}: ${card.html} (and ${card.json})`);
      }
      const run = await publishedRunWithSummary(db.db, opts.run, runSummaryCodec);
      console.log(run.summary ? formatRunSummary(run.summary) : `run ${run.runId} published without a summary`);
      if (opts.truth) {
        const truth = await readTruth(opts.truth);
        const known = new Set<string>();
        for (const k of await agencyKnowledge(db.db)) if (k.from <= run.asOf) known.add(k.personId);
        const rows = await placementsInRun(db.db, run.runId);
        const scored = rows.filter((r) => r.list !== 'over_18').map((r) => ({ personId: r.personId, finalScore: r.finalScore, onList: r.onList }));
        console.log(formatTruth(evaluateAgainstTruth(scored, truth, known, run.asOf)));
        const adults = rows.filter((r) => r.list === 'over_18' && r.onList);
        const exploiters = [...truth.values()].filter((t) => t.exploiter).length;
        const listedExploiters = adults.filter((a) => truth.get(a.personId)?.exploiter).length;
        console.log(
          `    CSE Risk – Subjects Over 18: ${adults.length} listed, of whom ${listedExploiters} exploited or facilitated in the generator's truth (${exploiters} such adults in all)`,
        );
      }
    });
  });
