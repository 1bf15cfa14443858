import type { Kysely } from 'kysely';
import { parseReasonItems, type ReasonItem } from '../../domain/reason-item.js';
import { changeOf, schoolPupilsOnList, scoreOf } from '../queries/lookup-queries.js';
import { listForRun, placementsOfRun, scoresForExport, scoresOf } from '../queries/run-queries.js';
import type { Database, RunScoreRow } from '../schema/database-schema.js';

export type ScoreList = 'children' | 'over_18';

/**
 * A person's score in a run, as code above db/ reads it. Reasons are stored
 * once, as items; what a reader sees of them is rendered when shown
 * (domain/access-policy.ts).
 */
export interface RunScore {
  readonly runId: string;
  readonly personId: string;
  readonly asOf: string;
  readonly age: number | null;
  readonly predictiveScore: number;
  readonly indexScore: number;
  readonly networkScore: number | null;
  readonly finalScore: number;
  readonly band: string;
  readonly onList: boolean;
  /** Null: scored before the run had two lists (a child). */
  readonly list: ScoreList | null;
  /** Null: the run was scored before reasons were stored as items (see `reasonsBeforeItems`). */
  readonly reasonItems: readonly ReasonItem[] | null;
  /** Such a run's analysts' paragraph, its only record of the reasons; null for every later run. */
  readonly reasonsBeforeItems: string | null;
}

/** Where a person sits in a run, without the reasons (the network export's nodes). */
export type RunPlacement = Pick<RunScore, 'personId' | 'age' | 'finalScore' | 'band' | 'onList' | 'list'>;

const listOf = (list: string | null): ScoreList | null => (list === 'over_18' || list === 'children' ? list : null);

type ScoreColumns = Pick<RunScoreRow, 'run_id' | 'person_id' | 'as_of' | 'age' | 'predictive_score' | 'index_score' | 'network_score' | 'final_score' | 'band' | 'on_list' | 'list' | 'reason_items' | 'reasons_before_items'>;

/** The columns every score row carries, as a RunScore (reason items through their one codec). */
const runScoreOf = (r: ScoreColumns): RunScore => ({
  runId: r.run_id,
  personId: r.person_id,
  asOf: r.as_of,
  age: r.age,
  predictiveScore: r.predictive_score,
  indexScore: r.index_score,
  networkScore: r.network_score,
  finalScore: r.final_score,
  band: r.band,
  onList: r.on_list === 1,
  list: listOf(r.list),
  reasonItems: r.reason_items === null ? null : parseReasonItems(r.reason_items),
  reasonsBeforeItems: r.reasons_before_items,
});

/** Every score of a run, highest first (streamed: a run holds a row per person). */
export async function* scoresOfRun(db: Kysely<Database>, runId: string): AsyncGenerator<RunScore> {
  for await (const r of scoresForExport(db, runId).stream(10_000)) {
    yield runScoreOf(r);
  }
}

/** SQL Server allows 2,100 parameters: ids are read in slices. */
const IDS_PER_STATEMENT = 500;

const placementOf = (s: { person_id: string; age: number | null; final_score: number; band: string; on_list: number; list: string | null }): RunPlacement => ({
  personId: s.person_id,
  age: s.age,
  finalScore: s.final_score,
  band: s.band,
  onList: s.on_list === 1,
  list: listOf(s.list),
});

/** Where everyone sits in a run. */
export async function placementsInRun(db: Kysely<Database>, runId: string): Promise<RunPlacement[]> {
  return (await placementsOfRun(db, runId).execute()).map(placementOf);
}

/** Where each of these people sits in a run (people the run did not score are absent). */
export async function placementsOf(db: Kysely<Database>, runId: string, personIds: readonly string[]): Promise<Map<string, RunPlacement>> {
  const out = new Map<string, RunPlacement>();
  for (let i = 0; i < personIds.length; i += IDS_PER_STATEMENT) {
    for (const s of await scoresOf(db, runId, personIds.slice(i, i + IDS_PER_STATEMENT)).execute()) {
      out.set(s.person_id, placementOf(s));
    }
  }
  return out;
}

/** A person's score with the other risks a profile shows beside it. */
export interface PersonScore extends RunScore {
  /** The calibrated chance of acceptance (null: the run's model has no calibration). */
  readonly probability: number | null;
  /** Percent; null: no recent missing episode. */
  readonly missingPersonRisk: number | null;
  readonly conductFlags: number;
  readonly conductDisorderRisk: boolean;
}

/** A person's score in a run, or undefined when the run did not score them. */
export async function personScore(db: Kysely<Database>, runId: string, personId: string): Promise<PersonScore | undefined> {
  const r = await scoreOf(db, runId, personId).executeTakeFirst();
  if (!r) return undefined;
  return {
    ...runScoreOf(r),
    probability: r.probability,
    missingPersonRisk: r.missing_person_risk,
    conductFlags: r.conduct_flags,
    conductDisorderRisk: Boolean(r.conduct_disorder_risk),
  };
}

/** How a person's standing changed in a run against the one before it. */
export interface ScoreChange {
  readonly change: string;
  readonly previousBand: string | null;
  readonly band: string | null;
}

export async function changeOfPerson(db: Kysely<Database>, runId: string, personId: string): Promise<ScoreChange | undefined> {
  const r = await changeOf(db, runId, personId).executeTakeFirst();
  return r ? { change: r.change, previousBand: r.previous_band, band: r.band } : undefined;
}

/** Someone on one of a run's lists. */
export type Listed = Pick<RunScore, 'personId' | 'age' | 'finalScore' | 'band'>;

const listedOf = (r: { person_id: string; age: number | null; final_score: number; band: string }): Listed => ({ personId: r.person_id, age: r.age, finalScore: r.final_score, band: r.band });

/** One of a run's lists, highest score first. */
export async function listOfRun(db: Kysely<Database>, runId: string, list: ScoreList): Promise<Listed[]> {
  return (await listForRun(db, runId, list).execute()).map(listedOf);
}

/** A school's pupils (enrolled on the day) on the run's children's list, highest score first. */
export async function pupilsOnList(db: Kysely<Database>, schoolId: string, day: string, runId: string): Promise<Listed[]> {
  return (await schoolPupilsOnList(db, schoolId, day, runId).execute()).map(listedOf);
}
