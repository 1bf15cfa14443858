import { Command } from 'commander';
import { withDb } from '../with-db.js';
import { exportEdges, exportNetwork } from '../../reports/export-network.js';
import { exportScores } from '../../reports/export-scores.js';
import { auditExportWritten } from '../../reports/audit-export.js';

const runFlag = (run: string | undefined) => (run ? ` --run ${run}` : '');

const scores = new Command('scores')
  .description('write a published run’s scores as scores.csv (run_id, person_id, as_of, age, predictive_score, index_score, network_score, final_score, band, on_list, reasons)')
  .requiredOption('--out <file>', 'CSV file to write')
  .option('--run <id>', 'run id (default: the current run)')
  .option('--partners', 'for partner agencies: children only, and only the reasons a non-police role may see (police-only reasons become one neutral line)', false)
  .action(async (opts) => {
    const { runId, rows } = await withDb(async (db) => {
      const written = await exportScores(db, opts.out, opts.run, opts.partners ? 'partners' : 'analysts');
      const view = opts.partners ? 'partner view (children only, no police-only reasons)' : 'analyst view (every reason, both lists)';
      await auditExportWritten(db.db, { action: 'export_scores', command: `export scores --out ${opts.out}${runFlag(opts.run)}${opts.partners ? ' --partners' : ''}`, file: opts.out, holds: `${written.rows} people's scores and reasons of run ${written.runId}, ${view}`, runId: written.runId });
      return written;
    });
    console.log(`wrote ${rows.toLocaleString('en-GB')} scores of run ${runId} to ${opts.out}${opts.partners ? ' (partner view: no police-only reasons, no over-18 list)' : ''}`);
  });

const edges = new Command('edges')
  .description('write a published run’s inferred relationships as edges.csv (run_id, person_a, person_b, shared_events, first_date, last_date): pairs sharing at least network.minShared eligible police records, records with more than network.maxParties people not counted (scoring config)')
  .requiredOption('--out <file>', 'CSV file to write')
  .option('--run <id>', 'run id (default: the current run)')
  .action(async (opts) => {
    const { runId, rows } = await withDb(async (db) => {
      const written = await exportEdges(db, opts.out, opts.run);
      await auditExportWritten(db.db, { action: 'export_edges', command: `export edges --out ${opts.out}${runFlag(opts.run)}`, file: opts.out, holds: `${written.rows} inferred relationships (pairs of people) of run ${written.runId}`, runId: written.runId });
      return written;
    });
    console.log(`wrote ${rows.toLocaleString('en-GB')} relationships of run ${runId} to ${opts.out}`);
  });

const network = new Command('network')
  .description('write the network around a person (nodes with list, band and score; edges with shared records and dates) as GEXF, which Gephi opens; for i2 use export edges')
  .requiredOption('--person <id>', 'the subject')
  .requiredOption('--out <file>', 'GEXF file to write')
  .option('--hops <n>', 'links to follow from the subject', (v) => Number(v), 2)
  .option('--run <id>', 'run id (default: the current run)')
  .action(async (opts) => {
    const { runId, nodes, edges: n } = await withDb(async (db) => {
      const written = await exportNetwork(db, opts.out, opts.person, opts.hops, opts.run);
      await auditExportWritten(db.db, { action: 'export_network', command: `export network --person ${opts.person} --hops ${opts.hops} --out ${opts.out}${runFlag(opts.run)}`, file: opts.out, holds: `the ${opts.hops}-link network of ${opts.person} in run ${written.runId}: ${written.nodes} people (with list, band and score), ${written.edges} relationships, GEXF`, runId: written.runId, personId: opts.person });
      return written;
    });
    console.log(`wrote the ${opts.hops}-link network of ${opts.person} in run ${runId}: ${nodes} people, ${n} relationships, to ${opts.out}`);
  });

export const exportCommand = new Command('export').description('export results of a run').addCommand(scores).addCommand(edges).addCommand(network);
