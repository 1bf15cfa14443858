import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { loadSnapshot } from '../../worker/pipeline/load-snapshot.js';
import { FEATURE_NAMES, FEATURES } from '../../worker/features/feature-catalogue.js';
import { featureLayout } from '../../worker/features/point-in-time.js';
import { trainCseModel, trainingMatrix } from '../../worker/model/train.js';
import { chooseModel } from '../../worker/model/model-choice.js';
import { trainMissingPersonModel } from '../../worker/scoring/missing-person-risk.js';
import { scoreChildren } from '../../worker/scoring/score-children.js';
import { defaultScoringConfig, relationshipOptions } from '../../worker/scoring/scoring-config.js';
import { inferRelationships } from '../../worker/network/infer-relationships.js';
import { networkContext } from '../../worker/network/network-features.js';
import { featureMatrix } from '../../worker/model/train.js';
import { dayOf } from '../../domain/days.js';
import type { TfdSnapshot } from '../../worker/snapshot/tfd-snapshot.js';
import { syntheticTfd } from '../helpers/scored-tfd.js';
import { useTempDirs } from '../helpers/temp.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AS_OF = '2024-06-30';

/** Train and score purely from a snapshot, as a run does. */
/** The layout a run uses, with the network as of the date (whose known risk training rows read on the model's date). */
function networkLayout(snapshot: TfdSnapshot, asOf: number) {
  const config = defaultScoringConfig();
  const edges = inferRelationships(snapshot.eventTable, snapshot.personIds.length, relationshipOptions(config, asOf));
  return featureLayout(snapshot, networkContext(snapshot, edges, config.network.minShared));
}

function trainAndScore(snapshot: TfdSnapshot) {
  const asOf = dayOf(AS_OF);
  const layout = networkLayout(snapshot, asOf);
  const matrix = trainingMatrix(snapshot, layout, asOf, 1);
  const choice = chooseModel(snapshot, layout, asOf, matrix.rows, matrix.x);
  const cse = trainCseModel(snapshot, asOf, 1, layout, undefined, choice, matrix);
  const missingPerson = trainMissingPersonModel(snapshot, layout, asOf);
  return { choice, cse, scored: scoreChildren(snapshot, layout, { cse: cse.model, missingPerson }, defaultScoringConfig(), asOf) };
}

describe('scoring is point in time', () => {
  let dir: string;
  let db: TfdDialect;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-pit-'));
    ({ db } = await syntheticTfd(dir));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  useTempDirs();

  it('gives identical models, scores and reasons when records dated after the as-of date are added', async () => {
    const before = trainAndScore(await loadSnapshot(db));
    const children = before.scored.map((s) => s.person);
    const snapshot = await loadSnapshot(db);
    const ids = children.slice(0, 300).map((p) => snapshot.personIds[p]);
    const after = '2024-07-01';
    // Later records of every kind a feature, an index rule, the cohort or Topaz could read.
    await db.db
      .insertInto('indicator_fact')
      .values(ids.flatMap((id) => ['missing_episode', 'trafficking', 'looked_after', 'exclusion_fixed'].map((code) => ({ person_id: id, code, start_date: after, end_date: null, value: null }))))
      .execute();
    await db.db.insertInto('event').values({ event_id: 'LATE-1', event_type: 'missing_report', occurred_at: `${after}T22:00:00`, location_id: null, cse_flag: 1 }).execute();
    await db.db.insertInto('event_party').values(ids.map((id) => ({ event_id: 'LATE-1', person_id: id, role: 'involved' }))).execute();
    await db.db.insertInto('topaz_marker').values(ids.slice(0, 50).map((id) => ({ person_id: id, marker: 'victim', start_date: after, end_date: null, note: null }))).execute();
    await db.db.insertInto('base_cohort').values(ids.slice(50, 100).map((id) => ({ person_id: id, start_of_service: after, end_of_service: null }))).execute();

    const later = trainAndScore(await loadSnapshot(db));
    // The choice of features and penalty too: it was made on the cohort as it stood on the as-of date.
    expect(before.choice.chosenBy).toBe('cohort');
    expect(later.choice).toEqual(before.choice);
    expect(later.cse.model.coefficients).toEqual(before.cse.model.coefficients);
    expect(later.scored).toEqual(before.scored);
  });

  it('never lets sex, ethnicity or deprivation reach the model', async () => {
    for (const name of FEATURE_NAMES) expect(name).not.toMatch(/(^|_)(sex|gender|race)(_|$)|ethnic|imd|depriv/i);
    for (const f of FEATURES) expect(f.code ?? "").not.toMatch(/(^|_)sex(_|$)|ethnic|imd/);
    const before = trainAndScore(await loadSnapshot(db));
    // Rewrite every protected characteristic: nothing the model produces may move.
    await db.db.updateTable('person').set({ sex: 'X', ethnicity: 'Changed', imd_decile: 1 }).execute();
    const after = trainAndScore(await loadSnapshot(db));
    expect(after.cse.model.coefficients).toEqual(before.cse.model.coefficients);
    expect(after.scored).toEqual(before.scored);
  });

  it('weighs a thinned comparison sample against the cohort it held out, so sampling does not flatter the list’s precision', async () => {
    const snapshot = await loadSnapshot(db);
    const asOf = dayOf(AS_OF);
    const layout = featureLayout(snapshot);
    const matrix = trainingMatrix(snapshot, layout, asOf, 1);
    const whole = chooseModel(snapshot, layout, asOf, matrix.rows, matrix.x);
    expect(whole.comparisonWeight).toBe(1);
    const thin = chooseModel(snapshot, layout, asOf, matrix.rows, matrix.x, { maxComparison: Math.floor(whole.comparisonChildren / 4) });
    expect(thin.comparisonChildren).toBe(Math.floor(whole.comparisonChildren / 4));
    expect(thin.heldOutChildren).toBe(whole.heldOutChildren);
    expect(thin.comparisonWeight).toBeCloseTo(whole.comparisonChildren / thin.comparisonChildren, 10);
  });

  it('reads who carries known risk on the model’s date for its training rows, and nothing else later than the row’s date', async () => {
    const snapshot = await loadSnapshot(db);
    const asOf = dayOf(AS_OF);
    const layout = networkLayout(snapshot, asOf);
    const matrix = trainingMatrix(snapshot, layout, asOf, 1);
    const onRowDates = featureMatrix(snapshot, layout, matrix.rows);
    const d = layout.width;
    const riskColumns = ['assoc_at_risk_1hop', 'assoc_at_risk_2hop', 'assoc_risky_tie_strength', 'network_proximity_to_risk'].map((n) => FEATURE_NAMES.indexOf(n));
    let moved = 0;
    for (let i = 0; i < matrix.rows.label.length; i++) {
      for (let j = 0; j < d; j++) {
        const now = matrix.x[i * d + j];
        const then = onRowDates[i * d + j];
        // Known risk can come (found, marked) or go (a CSE-tagged record more than 3 years old, a marker ended).
        if (!riskColumns.includes(j)) expect(now, FEATURE_NAMES[j]).toBe(then);
        else if (now !== then) moved++;
      }
    }
    // A cohort child's peers are often found after them: some rows see different risk around them on the model's date.
    expect(moved).toBeGreaterThan(0);
  });
});
