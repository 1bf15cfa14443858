import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/database.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import { readTable } from '../helpers/csv-table.js';
import { syntheticTfd } from '../helpers/scored-tfd.js';

/** `npm run cli -- …` against the file, as an operator would run it. */
function cli(file: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: `sqlite:${file}` } });
  if (result.status !== 0) throw new Error(`cli ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout.trim();
}

async function exportRows(file: string) {
  const db = await createDb({ databaseUrl: `sqlite:${file}` });
  try {
    return await db.db.selectFrom('access_audit').select(['action', 'person_id', 'outcome', 'actor_role', 'actor_worker_id', 'basis', 'shown', 'run_id', 'channel']).where('action', 'like', 'export_%').orderBy('seq').execute();
  } finally {
    await db.close();
  }
}

describe('every export is audited (cli export …, cli audit export)', () => {
  let dir: string;
  let file: string;
  let runId: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-export-audit-'));
    const { db } = await syntheticTfd(dir, 3_000, 4);
    runId = (await scoreRun(db, {})).runId;
    await db.close();
    file = join(dir, 'tfd.sqlite');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one row per export after the file, naming the file, how many people or rows, the view, and the command', async () => {
    const partners = join(dir, 'partners.csv');
    const analysts = join(dir, 'analysts.csv');
    const edges = join(dir, 'edges.csv');
    const gexf = join(dir, 'net.gexf');
    const audit = join(dir, 'audit.csv');
    cli(file, 'export', 'scores', '--partners', '--out', partners);
    cli(file, 'export', 'scores', '--out', analysts, '--run', runId);
    cli(file, 'export', 'edges', '--out', edges);
    const edgeRows = await readTable(edges);
    expect(edgeRows.length).toBeGreaterThan(0);
    const subject = edgeRows[0].person_a;
    const network = cli(file, 'export', 'network', '--person', subject, '--hops', '1', '--out', gexf);
    const [, people, links] = /: (\d+) people, (\d+) relationships/.exec(network)!;
    cli(file, 'audit', 'export', '--out', audit, '--person', subject);
    const p = (await readTable(partners)).length;
    const a = (await readTable(analysts)).length;
    const auditLines = (await readTable(audit)).length;
    expect(p).toBeGreaterThan(0);
    expect(a).toBeGreaterThanOrEqual(p);
    const basis = (command: string) => `command line \`${command}\` (no Teams identity: recorded as the system)`;
    const common = { outcome: 'allowed', actor_role: 'system', actor_worker_id: null, channel: 'cli' };
    expect(await exportRows(file)).toEqual([
      { ...common, action: 'export_scores', person_id: null, run_id: runId, basis: basis(`export scores --out ${partners} --partners`), shown: `partners.csv (${partners}): ${p} people's scores and reasons of run ${runId}, partner view (children only, no police-only reasons)` },
      { ...common, action: 'export_scores', person_id: null, run_id: runId, basis: basis(`export scores --out ${analysts} --run ${runId}`), shown: `analysts.csv (${analysts}): ${a} people's scores and reasons of run ${runId}, analyst view (every reason, both lists)` },
      { ...common, action: 'export_edges', person_id: null, run_id: runId, basis: basis(`export edges --out ${edges}`), shown: `edges.csv (${edges}): ${edgeRows.length} inferred relationships (pairs of people) of run ${runId}` },
      { ...common, action: 'export_network', person_id: subject, run_id: runId, basis: basis(`export network --person ${subject} --hops 1 --out ${gexf}`), shown: `net.gexf (${gexf}): the 1-link network of ${subject} in run ${runId}: ${people} people (with list, band and score), ${links} relationships, GEXF` },
      { ...common, action: 'export_audit', person_id: subject, run_id: null, basis: basis(`audit export --out ${audit} --person ${subject}`), shown: `audit.csv (${audit}): ${auditLines} audit entries (--person ${subject})` },
    ]);
    // The DPO's file was written before its own row: it holds the network export's row, not its own.
    expect(readFileSync(audit, 'utf8')).toContain('export_network');
    expect(readFileSync(audit, 'utf8')).not.toContain('export_audit');
  }, 300_000);
});
