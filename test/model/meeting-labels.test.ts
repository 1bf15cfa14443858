import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { FEATURE_NAMES } from '../../worker/features/feature-catalogue.js';
import { featureLayout, pointInTimeFeatures } from '../../worker/features/point-in-time.js';
import { fitLogistic } from '../../worker/model/logistic-regression.js';
import { matchedTrainingRows, type TrainingRows } from '../../worker/model/training-set.js';
import { loadSnapshot } from '../../worker/pipeline/load-snapshot.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import type { TfdSnapshot } from '../../worker/snapshot/tfd-snapshot.js';
import { syntheticTfd } from '../helpers/scored-tfd.js';

// Set from the synthetic TFD's last recorded day: a meeting four months before it, an answer on an alert five, a meeting a month after.
let AS_OF: string;
let MEETING: string;
let LATER_MEETING: string;
let ANSWERED: string;
const BACK_DATED = '0000-01-01';

const rowsOf = (r: TrainingRows) => Array.from(r.person, (p, i) => ({ p, day: r.date[i], label: r.label[i], weight: r.weight[i] }));
const cases = (r: TrainingRows) => new Set(rowsOf(r).filter((x) => x.label === 1).map((x) => `${x.p}@${x.day}`));

describe('meeting outcomes teach the model, with provenance and no leakage', () => {
  let dir: string;
  let db: TfdDialect;
  /** A: referral accepted; B: no further action; C: closed; D: "not a concern" on an alert; E: accepted at a meeting after the run date. */
  let ids: { a: string; b: string; c: string; d: string; e: string };
  let cohortChild: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-labels-'));
    ({ db } = await syntheticTfd(dir));
    const last = (await db.db.selectFrom('indicator_fact').select((eb) => eb.fn.max('start_date').as('d')).executeTakeFirstOrThrow()).d as string;
    AS_OF = isoOf(dayOf(last));
    MEETING = isoOf(dayOf(last) - 120);
    LATER_MEETING = isoOf(dayOf(last) + 30);
    ANSWERED = `${isoOf(dayOf(last) - 150)}T10:00:00`;
    const children = await db.db
      .selectFrom('person')
      .select('person_id')
      .where('date_of_birth', '>', isoOf(dayOf(AS_OF) - 16 * 365))
      .where('date_of_birth', '<', isoOf(dayOf(AS_OF) - 11 * 365))
      .where('person_id', 'not in', db.db.selectFrom('base_cohort').select('person_id'))
      .orderBy('person_id')
      .limit(5)
      .execute();
    const [a, b, c, d, e] = children.map((r) => r.person_id);
    ids = { a, b, c, d, e };
    const meeting = (id: string, date: string) => ({ meeting_id: id, meeting_date: date, run_id: 'run-x', previous_meeting_id: null, chair_worker_id: 'W', conversation_id: '19:chat', header_activity_id: null, status: 'closed', created_by: 'W', created_at: `${date}T09:00:00` });
    await db.db.insertInto('meeting').values([meeting(`meeting-${MEETING}`, MEETING), meeting(`meeting-${LATER_MEETING}`, LATER_MEETING), meeting(`meeting-${BACK_DATED}`, BACK_DATED)]).execute();
    const item = (meetingDate: string, personId: string, decision: string, outcome: string | null) => ({
      item_id: `meeting-${meetingDate}|${personId}`,
      meeting_id: `meeting-${meetingDate}`,
      person_id: personId,
      section: 'new',
      position: 0,
      version: 2,
      rag: 'red',
      decision,
      outcome,
      lead_agency: 'social_care',
      next_review: null,
      notes: null,
      recorded_by: 'W-CHAIR',
      recorded_at: `${meetingDate}T10:00:00`,
      activity_id: null,
      detail: '{}',
    });
    await db.db
      .insertInto('meeting_item')
      .values([
        item(MEETING, a, 'refer', 'referral_accepted'),
        item(MEETING, b, 'nfa', null),
        item(MEETING, c, 'close', null),
        item(LATER_MEETING, e, 'refer', 'exploitation_confirmed'),
        // A meeting stored with the date 0000-01-01 (as `meeting new 0000-01-01` once allowed): its positives are about A and B.
        item(BACK_DATED, a, 'refer', 'referral_accepted'),
        item(BACK_DATED, b, 'refer', 'exploitation_confirmed'),
      ])
      .execute();
    // F: already with the service before the meeting; the meeting's "no further action" changes nothing.
    cohortChild = (await db.db.selectFrom('base_cohort').select('person_id').where('start_of_service', '<', MEETING).orderBy('person_id').executeTakeFirstOrThrow()).person_id;
    await db.db.insertInto('meeting_item').values({ ...item(MEETING, cohortChild, 'nfa', null), item_id: `meeting-${MEETING}|${cohortChild}` }).execute();
    await db.db.insertInto('alert_response').values({ response_id: 'r1', alert_id: `run-x|W-SW|${d}`, run_id: 'run-x', worker_id: 'W-SW', person_id: d, action: 'not_a_concern', note: 'known to family support', responded_at: ANSWERED }).execute();
  }, 240_000);

  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes the training rows exactly as specified: a positive becomes a case at the meeting date, NFA and "not a concern" join as comparison rows (the latter at half weight), a closed child is never a comparison child after closing', async () => {
    const snapshot = await loadSnapshot(db);
    const none: TfdSnapshot = { ...snapshot, trainingLabels: [] };
    const asOf = dayOf(AS_OF);
    const without = matchedTrainingRows(none, { casesUpTo: asOf, seed: 1 });
    const withLabels = matchedTrainingRows(snapshot, { casesUpTo: asOf, seed: 1 });
    const idx = (id: string) => snapshot.personIndex.get(id)!;
    // Cases: exactly the cohort's, plus A at the meeting date.
    expect([...cases(withLabels)].sort()).toEqual([...cases(without), `${idx(ids.a)}@${dayOf(MEETING)}`].sort());
    const rows = rowsOf(withLabels);
    expect(rows.filter((r) => r.p === idx(ids.b) && r.day === dayOf(MEETING))).toEqual([{ p: idx(ids.b), day: dayOf(MEETING), label: 0, weight: 1 }]);
    expect(rows.filter((r) => r.p === idx(ids.d) && r.day === dayOf(ANSWERED))).toEqual([{ p: idx(ids.d), day: dayOf(ANSWERED), label: 0, weight: 0.5 }]);
    expect(rows.filter((r) => r.p === idx(ids.c) && r.day >= dayOf(MEETING))).toEqual([]);
    expect(rows.filter((r) => r.p === idx(cohortChild) && r.label === 0 && r.day === dayOf(MEETING))).toEqual([]);
    expect(withLabels.labelsAboutCohort.map((l) => snapshot.personIds[l.person])).toEqual([cohortChild]);
    expect(rows.filter((r) => r.p === idx(ids.a) && r.label === 0 && r.day >= dayOf(MEETING))).toEqual([]);
    // E's meeting comes after the run date: not a case, not a label.
    expect(rows.some((r) => r.p === idx(ids.e) && r.label === 1)).toBe(false);
    expect(withLabels.labelsUsed.map((l) => [snapshot.personIds[l.person], l.kind, l.source, l.recordedBy]).sort()).toEqual(
      [
        [ids.a, 'positive', `meeting-${MEETING}`, 'W-CHAIR'],
        [ids.b, 'negative', `meeting-${MEETING}`, 'W-CHAIR'],
        [ids.c, 'censored', `meeting-${MEETING}`, 'W-CHAIR'],
        [ids.d, 'weak_negative', `alert run-x|W-SW|${ids.d}`, 'W-SW'],
      ].sort(),
    );
  }, 120_000);

  it('a back-dated meeting’s "referral accepted" displaces no real meeting’s label: A stays a case at its own meeting’s date, B’s "no further action" stays', async () => {
    const snapshot = await loadSnapshot(db);
    expect((snapshot.trainingLabels ?? []).filter((l) => l.source === `meeting-${BACK_DATED}`)).toHaveLength(2);
    const rows = matchedTrainingRows(snapshot, { casesUpTo: dayOf(AS_OF), seed: 1 });
    const idx = (id: string) => snapshot.personIndex.get(id)!;
    expect(rowsOf(rows).filter((r) => r.p === idx(ids.a) && r.label === 1)).toEqual([{ p: idx(ids.a), day: dayOf(MEETING), label: 1, weight: 1 }]);
    expect(rowsOf(rows).filter((r) => r.p === idx(ids.b))).toEqual([{ p: idx(ids.b), day: dayOf(MEETING), label: 0, weight: 1 }]);
    expect(rows.labelsUsed.filter((l) => l.person === idx(ids.a) || l.person === idx(ids.b)).map((l) => [snapshot.personIds[l.person], l.kind, l.source]).sort()).toEqual(
      [
        [ids.a, 'positive', `meeting-${MEETING}`],
        [ids.b, 'negative', `meeting-${MEETING}`],
      ].sort(),
    );
  }, 120_000);

  it('never leaks: labels dated after the run change nothing, and no feature reads meetings or alerts', async () => {
    const snapshot = await loadSnapshot(db);
    const asOf = dayOf(AS_OF);
    const onlyLater: TfdSnapshot = { ...snapshot, trainingLabels: (snapshot.trainingLabels ?? []).filter((l) => l.day > asOf) };
    expect(onlyLater.trainingLabels!.length).toBe(1);
    const none: TfdSnapshot = { ...snapshot, trainingLabels: [] };
    const a = matchedTrainingRows(onlyLater, { casesUpTo: asOf, seed: 1 });
    const b = matchedTrainingRows(none, { casesUpTo: asOf, seed: 1 });
    expect(rowsOf(a)).toEqual(rowsOf(b));
    // The model cannot learn "was discussed at a meeting": every feature of every labelled child is the same with and without the labels.
    const layout = featureLayout(snapshot);
    for (const l of snapshot.trainingLabels ?? []) {
      const withL = Array.from(pointInTimeFeatures(snapshot, layout, l.person, l.day, new Float64Array(layout.width)));
      const withoutL = Array.from(pointInTimeFeatures(none, featureLayout(none), l.person, l.day, new Float64Array(layout.width)));
      expect(withL).toEqual(withoutL);
    }
    expect(FEATURE_NAMES.filter((n) => /meeting|alert|label|discuss|review/i.test(n))).toEqual([]);
  });

  it('the next run uses them: its model card counts the labels, where they came from, and how the model moved', async () => {
    const summary = await scoreRun(db, { asOf: AS_OF, network: false });
    expect(summary.meetingLabels?.count).toBe(4);
    const evaluation = JSON.parse((await db.db.selectFrom('run_evaluation').select('evaluation').where('run_id', '=', summary.runId).executeTakeFirstOrThrow()).evaluation);
    expect(evaluation.meetingLabels.provenance).toEqual({ positive: 1, negative: 1, weakNegative: 1, censored: 1, sources: ['alert answers', `meeting-${MEETING}`], recordedBy: 2, aboutCohortChildren: 1 });
    expect(evaluation.meetingLabels.note).toContain('1 recorded outcome was about children the service had already accepted');
    expect(evaluation.meetingLabels.note).toContain('1 positive');
    expect(evaluation.meetingLabels.moves.length).toBeGreaterThan(0);
    for (const m of evaluation.meetingLabels.moves) expect(m.with).not.toBe(m.without);
  }, 180_000);

  it('weights a row as if it were repeated (a weak label counts half)', () => {
    const x = Float64Array.from([0, 1, 2, 3, 1, 0, 2, 2, 3, 1, 0.5, 2.5]);
    const y = Uint8Array.from([0, 0, 1, 1, 0, 1]);
    const doubled = fitLogistic(['f', 'g'], Float64Array.from([...x, 3, 1]), Uint8Array.from([...y, 0]), { l2: 1 });
    const weighted = fitLogistic(['f', 'g'], x, y, { l2: 1, weights: Float64Array.from([1, 1, 1, 1, 2, 1]) });
    expect(weighted.coefficients[0]).toBeCloseTo(doubled.coefficients[0], 6);
    expect(weighted.intercept).toBeCloseTo(doubled.intercept, 6);
  });
});
