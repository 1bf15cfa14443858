import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { UndirectedGraph } from 'graphology';
import { parse } from 'graphology-gexf';
import { exportEdges, exportNetwork } from '../../reports/export-network.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { loadSnapshot } from '../../worker/pipeline/load-snapshot.js';
import { currentRun } from '../../db/queries/run-queries.js';
import { inferRelationships } from '../../worker/network/infer-relationships.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import { isoOf, dayOf } from '../../domain/days.js';
import type { TfdSnapshot } from '../../worker/snapshot/tfd-snapshot.js';
import { syntheticTfd } from '../helpers/scored-tfd.js';

const AS_OF = '2025-12-31';

/** The independent computation: a self-join over event_party, grouped by pair. */
async function edgesBySql(db: TfdDialect, minShared: number, maxParties: number): Promise<string[]> {
  const { rows } = await sql<{ person_a: string; person_b: string; shared: number; first: string; last: string }>`
    with counted as (
      select e.event_id from event e join event_party p on p.event_id = e.event_id
      where substr(e.occurred_at, 1, 10) <= ${AS_OF}
      group by e.event_id
      having count(distinct p.person_id) between 2 and ${maxParties}
    ),
    parties as (select distinct p.event_id, p.person_id from event_party p join counted c on c.event_id = p.event_id)
    select a.person_id as person_a, b.person_id as person_b, count(*) as shared,
           min(substr(e.occurred_at, 1, 10)) as first, max(substr(e.occurred_at, 1, 10)) as last
    from parties a
    join parties b on a.event_id = b.event_id and a.person_id < b.person_id
    join event e on e.event_id = a.event_id
    group by a.person_id, b.person_id
    having count(*) >= ${minShared}
  `.execute(db.db);
  return rows.map((r) => `${r.person_a}|${r.person_b}|${r.shared}|${r.first}|${r.last}`).sort();
}

function edgesByWorker(snapshot: TfdSnapshot, minShared: number, maxParties: number): string[] {
  const r = inferRelationships(snapshot.eventTable, snapshot.personIds.length, { asOf: dayOf(AS_OF), minShared, maxParties });
  return Array.from(r.a, (a, i) => {
    const [x, y] = [snapshot.personIds[a], snapshot.personIds[r.b[i]]].sort();
    return `${x}|${y}|${r.shared[i]}|${isoOf(r.first[i])}|${isoOf(r.last[i])}`;
  }).sort();
}

describe('inferred relationships equal a SQL self-join over event_party (20,000-person synthetic TFD)', () => {
  let dir: string;
  let db: TfdDialect;
  let snapshot: TfdSnapshot;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-edges-'));
    ({ db } = await syntheticTfd(dir, 20_000, 6));
    snapshot = await loadSnapshot(db);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [minShared, maxParties] of [
    [3, 12],
    [2, 12],
    [3, 1000],
  ] as const) {
    it(`gives the identical edge set for K = ${minShared}, at most ${maxParties} parties`, async () => {
      const expected = await edgesBySql(db, minShared, maxParties);
      expect(expected.length).toBeGreaterThan(100);
      expect(edgesByWorker(snapshot, minShared, maxParties)).toEqual(expected);
    });
  }

  it('is changed by the big-event rule (crowds recorded repeatedly would otherwise form cliques)', async () => {
    expect((await edgesBySql(db, 3, 1000)).length).toBeGreaterThan((await edgesBySql(db, 3, 12)).length + 100);
  });

  it('stores exactly those edges with the run, and exports them as the contract’s edges.csv', async () => {
    await scoreRun(db, { asOf: AS_OF });
    const run = await currentRun(db.db).executeTakeFirstOrThrow();
    const stored = await db.db.selectFrom('run_edge').selectAll().where('run_id', '=', run.run_id).execute();
    expect(stored.map((e) => `${e.person_a}|${e.person_b}|${e.shared_events}|${e.first_date}|${e.last_date}`).sort()).toEqual(await edgesBySql(db, 3, 12));
    const out = join(dir, 'edges.csv');
    const { rows } = await exportEdges(db, out);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('run_id,person_a,person_b,shared_events,first_date,last_date');
    expect(lines.slice(1).map((l) => l.split(',').slice(1).join('|')).sort()).toEqual(await edgesBySql(db, 3, 12));
    expect(rows).toBe(lines.length - 1);
    for (const line of lines.slice(1)) {
      const [, a, b] = line.split(',');
      expect(a < b).toBe(true);
    }
  });

  it('exports the network around a subject as GEXF that graphology reads back, with no offender labels', async () => {
    const run = await currentRun(db.db).executeTakeFirstOrThrow();
    const adult = await db.db.selectFrom('run_score').select('person_id').where('run_id', '=', run.run_id).where('list', '=', 'over_18').where('on_list', '=', 1).orderBy('final_score', 'desc').executeTakeFirstOrThrow();
    const out = join(dir, 'network.gexf');
    const { nodes, edges } = await exportNetwork(db, out, adult.person_id, 2);
    const text = readFileSync(out, 'utf8');
    const graph = parse(UndirectedGraph, text);
    expect(graph.order).toBe(nodes);
    expect(graph.size).toBe(edges);
    expect(graph.getNodeAttribute(adult.person_id, 'list')).toBe('CSE Risk – Subjects Over 18');
    expect(graph.getNodeAttribute(adult.person_id, 'subject')).toBe(true);
    expect(text).not.toMatch(/offender|suspect/i);
    await expect(exportNetwork(db, out, 'nobody', 2)).rejects.toThrow(/has no inferred relationships/);
  });
});
