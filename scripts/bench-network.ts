/**
 * Network benchmark: relationships and per-person network features for 4M
 * police records with 10M parties among 1M people, against two peers measured
 * in the same run: (a) the same inference as one SQLite self-join query, and
 * (b) Python scipy sparse A·Aᵀ (where python3 with scipy is available).
 *
 *   npm run bench:network -- [--events 4000000] [--people 1000000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Rng } from '../domain/rng.js';
import { inferRelationships } from '../worker/network/infer-relationships.js';
import { networkContext, personNetwork } from '../worker/network/network-features.js';
import type { TfdSnapshot } from '../worker/snapshot/tfd-snapshot.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 4_000_000);
const PEOPLE = arg('people', 1_000_000);
const K = 3;
const MAX_PARTIES = 12;
const AS_OF = 20_000;
const CIRCLE = 6;
const work = mkdtempSync(join(tmpdir(), 'tfd-bench-net-'));

/** Records mostly among small circles of people who keep turning up together, some among strangers, a few crowds. */
function generate() {
  const rng = new Rng(42);
  const day = new Int32Array(EVENTS);
  const type = new Uint8Array(EVENTS);
  const cse = new Uint8Array(EVENTS);
  const location = new Int32Array(EVENTS);
  const partyOffset = new Int32Array(EVENTS + 1);
  const persons: number[] = [];
  const sizes = [1, 2, 3, 4, 6];
  const weights = [15, 50, 20, 8, 6.98];
  for (let e = 0; e < EVENTS; e++) {
    day[e] = 16_000 + rng.int(4_000);
    type[e] = rng.int(4);
    cse[e] = rng.chance(0.01) ? 1 : 0;
    location[e] = rng.int(50_000);
    const k = rng.chance(0.0002) ? 40 + rng.int(110) : sizes[rng.weighted(weights)] + (rng.chance(0.3) ? rng.int(2) : 0);
    const circle = rng.int(Math.floor(PEOPLE / CIRCLE));
    for (let i = 0; i < k; i++) persons.push(k <= CIRCLE && rng.chance(0.7) ? circle * CIRCLE + rng.int(CIRCLE) : rng.int(PEOPLE));
    partyOffset[e + 1] = persons.length;
  }
  return { day, type, cse, location, partyOffset, partyPerson: Int32Array.from(persons), partyRole: new Uint8Array(persons.length) };
}

/** The smallest snapshot the network code reads. */
function snapshotOf(events: ReturnType<typeof generate>): TfdSnapshot {
  const counts = new Int32Array(PEOPLE + 1);
  for (const p of events.partyPerson) counts[p + 1]++;
  for (let p = 0; p < PEOPLE; p++) counts[p + 1] += counts[p];
  const fill = counts.slice(0, PEOPLE);
  const ev = new Int32Array(events.partyPerson.length);
  for (let e = 0; e < EVENTS; e++) for (let i = events.partyOffset[e]; i < events.partyOffset[e + 1]; i++) ev[fill[events.partyPerson[i]]++] = e;
  const rng = new Rng(7);
  return {
    personIds: new Array(PEOPLE),
    birth: new Int32Array(PEOPLE),
    startOfService: Int32Array.from({ length: PEOPLE }, () => (rng.chance(0.005) ? 17_000 : -2147483648)),
    topaz: { offset: new Int32Array(PEOPLE + 1), marker: new Uint8Array(0), start: new Int32Array(0), end: new Int32Array(0) },
    events: { offset: counts, event: ev, day: Int32Array.from(ev, (e) => events.day[e]), cse: Uint8Array.from(ev, (e) => events.cse[e]), type: Uint8Array.from(ev, (e) => events.type[e]) },
    eventTable: events,
    locationIds: new Array(50_000),
  } as unknown as TfdSnapshot;
}

try {
  console.log(`generating ${EVENTS.toLocaleString('en-GB')} records among ${PEOPLE.toLocaleString('en-GB')} people …`);
  const events = generate();
  const snapshot = snapshotOf(events);
  console.log(`  ${events.partyPerson.length.toLocaleString('en-GB')} parties`);

  let t = performance.now();
  const edges = inferRelationships(events, PEOPLE, { asOf: AS_OF, minShared: K, maxParties: MAX_PARTIES });
  const edgeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const ctx = networkContext(snapshot, edges, K);
  let linkedToRisk = 0;
  for (let p = 0; p < PEOPLE; p++) if (ctx.offset[p + 1] > ctx.offset[p] && personNetwork(snapshot, ctx, p, AS_OF).riskyDirect > 0) linkedToRisk++;
  const featureSeconds = (performance.now() - t) / 1000;
  const ours = edgeSeconds + featureSeconds;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`ours   ${edges.a.length.toLocaleString('en-GB')} relationships in ${edgeSeconds.toFixed(1)} s; features for every person ${featureSeconds.toFixed(1)} s (${linkedToRisk.toLocaleString('en-GB')} linked to risk); total ${ours.toFixed(1)} s; peak RSS ${rss} MB`);

  // (b) scipy sparse A·Aᵀ on the same arrays.
  const partyEvent = new Int32Array(events.partyPerson.length);
  for (let e = 0; e < EVENTS; e++) partyEvent.fill(e, events.partyOffset[e], events.partyOffset[e + 1]);
  writeFileSync(join(work, 'party_event.i32'), partyEvent);
  writeFileSync(join(work, 'party_person.i32'), events.partyPerson);
  writeFileSync(join(work, 'event_day.i32'), events.day);
  const hasScipy = spawnSync('python3', ['-c', 'import scipy'], { stdio: 'ignore' }).status === 0;
  let scipySeconds = Number.NaN;
  if (hasScipy) {
    t = performance.now();
    const py = spawnSync('python3', [new URL('./bench-network-scipy.py', import.meta.url).pathname, work, String(PEOPLE), String(K), String(MAX_PARTIES), String(AS_OF)], { encoding: 'utf8' });
    scipySeconds = (performance.now() - t) / 1000;
    if (py.status !== 0) throw new Error(`scipy peer failed: ${py.stderr}`);
    console.log(`scipy  ${Number(py.stdout.trim()).toLocaleString('en-GB')} relationships in ${scipySeconds.toFixed(1)} s (whole python process: load, A·Aᵀ, threshold)`);
  } else {
    console.log('scipy  not available (python3 with scipy not found): ratio (b) not measured');
  }

  // (a) one SQLite self-join query over the same parties (loading not timed).
  const db = new BetterSqlite3(join(work, 'peer.sqlite'));
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.exec('create table event (event_id integer primary key, day int, type int); create table event_party (event_id int, person_id int)');
  const insertEvent = db.prepare('insert into event values (?, ?, ?)');
  const insertParty = db.prepare('insert into event_party values (?, ?)');
  db.transaction(() => {
    for (let e = 0; e < EVENTS; e++) insertEvent.run(e, events.day[e], events.type[e]);
    for (let i = 0; i < partyEvent.length; i++) insertParty.run(partyEvent[i], events.partyPerson[i]);
  })();
  db.exec('create index ix_party_event on event_party (event_id, person_id)');
  t = performance.now();
  const row = db
    .prepare(
      `with counted as (select p.event_id from event_party p join event e on e.event_id = p.event_id where e.day <= ?
                        group by p.event_id having count(distinct p.person_id) between 2 and ?),
            parties as (select distinct p.event_id, p.person_id from event_party p join counted c on c.event_id = p.event_id)
       select count(*) as edges from (select a.person_id, b.person_id from parties a join parties b on a.event_id = b.event_id and a.person_id < b.person_id
                                      group by a.person_id, b.person_id having count(*) >= ?)`,
    )
    .get(AS_OF, MAX_PARTIES, K) as { edges: number };
  const sqliteSeconds = (performance.now() - t) / 1000;
  db.close();
  console.log(`sqlite ${row.edges.toLocaleString('en-GB')} relationships in ${sqliteSeconds.toFixed(1)} s (one self-join query; loading not timed)`);

  console.log(`ratio  (a) SQLite self-join / ours: ${(sqliteSeconds / ours).toFixed(1)}× faster (target ≥ 10×)`);
  console.log(`ratio  (b) scipy / ours: ${Number.isNaN(scipySeconds) ? 'n/a' : `${(scipySeconds / ours).toFixed(2)}× (target ≥ 1: no slower than scipy)`}`);
  console.log(`target edges + features < 60 s: ${ours < 60 ? 'met' : 'NOT met'}; memory < 3 GB: ${rss < 3072 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
