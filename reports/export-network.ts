import { writeFileSync } from 'node:fs';
import { UserFacingError } from '../domain/errors.js';
import { analystGexf, type AnalystEdge } from './analyst-graph.js';
import type { TfdDialect } from '../db/dialect/dialect.js';
import { relationshipsOfRun, relationshipsTouching } from '../db/repositories/run-edges.js';
import { placementsOf } from '../db/repositories/run-scores.js';
import { writeCsv } from './write-csv.js';
import { resolveRun } from './export-scores.js';

export const EDGES_COLUMNS = ['run_id', 'person_a', 'person_b', 'shared_events', 'first_date', 'last_date'] as const;

/** The contract's edges.csv for a published run. */
export async function exportEdges(dialect: TfdDialect, out: string, runId?: string): Promise<{ runId: string; rows: number }> {
  const run = await resolveRun(dialect, runId);
  async function* rows() {
    for await (const e of relationshipsOfRun(dialect.db, run.runId)) yield [e.runId, e.personA, e.personB, e.sharedEvents, e.firstDate, e.lastDate];
  }
  return { runId: run.runId, rows: await writeCsv(out, EDGES_COLUMNS, rows()) };
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
    for (const e of await relationshipsTouching(dialect.db, run.runId, frontier)) {
      edges.set(`${e.personA}|${e.personB}`, { a: e.personA, b: e.personB, sharedEvents: e.sharedEvents, firstDate: e.firstDate, lastDate: e.lastDate, eventTypes: e.eventTypes.join(',') });
      for (const p of [e.personA, e.personB]) {
        if (seen.has(p)) continue;
        seen.add(p);
        next.push(p);
      }
    }
    frontier = next;
  }
  if (edges.size === 0) throw new UnknownSubjectError(personId, run.runId);
  const ids = [...seen];
  const scores = await placementsOf(dialect.db, run.runId, ids);
  const nodes = ids.map((id) => {
    const s = scores.get(id);
    return { id, age: s?.age ?? null, list: s?.list ?? null, onList: s?.onList === true, score: s?.finalScore ?? null, band: s?.band ?? null };
  });
  writeFileSync(out, analystGexf(nodes, [...edges.values()], personId));
  return { runId: run.runId, nodes: nodes.length, edges: edges.size };
}
