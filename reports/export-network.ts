import { writeFileSync } from 'node:fs';
import { UserFacingError } from '../domain/errors.js';
import { analystGexf, type AnalystEdge } from './analyst-graph.js';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { edgesForExport, edgesOf, scoresOf } from '../db/queries/run-queries.js';
import { writeCsv } from './write-csv.js';
import { resolveRun } from './export-scores.js';

export const EDGES_COLUMNS = ['run_id', 'person_a', 'person_b', 'shared_events', 'first_date', 'last_date'] as const;

/** The contract's edges.csv for a published run. */
export async function exportEdges(dialect: TfdDialect, out: string, runId?: string): Promise<{ runId: string; rows: number }> {
  const run = await resolveRun(dialect, runId);
  async function* rows() {
    for await (const e of edgesForExport(dialect.db, run.run_id).stream(10_000)) yield [e.run_id, e.person_a, e.person_b, e.shared_events, e.first_date, e.last_date];
  }
  return { runId: run.run_id, rows: await writeCsv(out, EDGES_COLUMNS, rows()) };
}

export class UnknownSubjectError extends UserFacingError {
  constructor(personId: string, runId: string) {
    super(`person "${personId}" has no inferred relationships in run ${runId}`);
  }
}

/** The network within `hops` links of a person, as GEXF for Gephi. */
export async function exportNetwork(dialect: TfdDialect, out: string, personId: string, hops: number, runId?: string) {
  const run = await resolveRun(dialect, runId);
  const seen = new Set([personId]);
  const edges = new Map<string, AnalystEdge>();
  let frontier = [personId];
  for (let hop = 0; hop < hops && frontier.length > 0; hop++) {
    const next: string[] = [];
    // SQL Server allows 2,100 parameters: walk the frontier in slices.
    for (let i = 0; i < frontier.length; i += 500) {
      for (const e of await edgesOf(dialect.db, run.run_id, frontier.slice(i, i + 500)).execute()) {
        edges.set(`${e.person_a}|${e.person_b}`, { a: e.person_a, b: e.person_b, sharedEvents: e.shared_events, firstDate: e.first_date, lastDate: e.last_date, eventTypes: e.event_types });
        for (const p of [e.person_a, e.person_b]) {
          if (seen.has(p)) continue;
          seen.add(p);
          next.push(p);
        }
      }
    }
    frontier = next;
  }
  if (edges.size === 0) throw new UnknownSubjectError(personId, run.run_id);
  const ids = [...seen];
  const scores = new Map<string, { age: number | null; final_score: number; band: string; on_list: number; list: string | null }>();
  for (let i = 0; i < ids.length; i += 500) for (const s of await scoresOf(dialect.db, run.run_id, ids.slice(i, i + 500)).execute()) scores.set(s.person_id, s);
  const nodes = ids.map((id) => {
    const s = scores.get(id);
    return { id, age: s?.age ?? null, list: s?.list ?? null, onList: s?.on_list === 1, score: s?.final_score ?? null, band: s?.band ?? null };
  });
  writeFileSync(out, analystGexf(nodes, [...edges.values()], personId));
  return { runId: run.run_id, nodes: nodes.length, edges: edges.size };
}
