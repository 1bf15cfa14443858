import { UndirectedGraph } from 'graphology';
import { write } from 'graphology-gexf';

export interface AnalystNode {
  readonly id: string;
  readonly age: number | null;
  /** 'children', 'over_18', or null when the person is not scored in the run. */
  readonly list: string | null;
  readonly onList: boolean;
  readonly score: number | null;
  readonly band: string | null;
}

export interface AnalystEdge {
  readonly a: string;
  readonly b: string;
  readonly sharedEvents: number;
  readonly firstDate: string;
  readonly lastDate: string;
  readonly eventTypes: string;
}

const LIST_LABEL: Record<string, string> = { children: 'children’s CSE risk list', over_18: 'CSE Risk – Subjects Over 18' };

/**
 * The network around a subject as GEXF (Gephi opens it natively; i2 Analyst's
 * Notebook takes the edges CSV). Nodes carry list, band and score; no role
 * such as "offender" or "suspect" is ever written.
 */
export function analystGexf(nodes: readonly AnalystNode[], edges: readonly AnalystEdge[], subject: string): string {
  const graph = new UndirectedGraph();
  for (const n of nodes) {
    graph.addNode(n.id, {
      label: n.id,
      subject: n.id === subject,
      age: n.age ?? -1,
      list: n.list ? (n.onList ? LIST_LABEL[n.list] : `scored, not on the ${LIST_LABEL[n.list]}`) : 'not scored',
      band: n.band ?? 'none',
      score: Math.round(n.score ?? 0),
    });
  }
  for (const e of edges) {
    if (!graph.hasNode(e.a) || !graph.hasNode(e.b) || graph.hasEdge(e.a, e.b)) continue;
    graph.addEdge(e.a, e.b, { weight: e.sharedEvents, first_date: e.firstDate, last_date: e.lastDate, event_types: e.eventTypes });
  }
  return write(graph, {
    formatNode: (key, attributes) => ({
      label: String(attributes.label),
      attributes: { subject: attributes.subject, age: attributes.age, list: attributes.list, band: attributes.band, score: attributes.score },
      viz: { size: attributes.subject ? 20 : 5 + Number(attributes.score) / 10 },
    }),
    formatEdge: (key, attributes) => ({
      weight: Number(attributes.weight),
      attributes: { shared_events: attributes.weight, first_date: attributes.first_date, last_date: attributes.last_date, event_types: attributes.event_types },
    }),
  });
}
