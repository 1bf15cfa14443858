import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfdDialect } from '../../db/dialect/dialect.js';
import { importBundle } from '../../db/import/import-bundle.js';
import { generateBundle } from '../../synth/generate.js';
import { FEATURES } from '../../worker/features/feature-catalogue.js';
import { featureLayout, pointInTimeFeatures } from '../../worker/features/point-in-time.js';
import { trainCseModel, trainingMatrix } from '../../worker/model/train.js';
import { chooseModel } from '../../worker/model/model-choice.js';
import { loadSnapshot } from '../../worker/pipeline/load-snapshot.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import { formatRunSummary } from '../../cli/format-run.js';
import { scoreChildren } from '../../worker/scoring/score-children.js';
import { defaultScoringConfig } from '../../worker/scoring/scoring-config.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { Rng } from '../../domain/rng.js';
import { freshSqlite } from '../helpers/database.js';

const AS_OF = '2024-06-30';

/**
 * The contract lets a source supply indicators beyond the expected list. A TFD
 * whose social care logs a "CSE concern" shortly before most children join
 * the service: the model must be able to weigh it, not drop it.
 */
describe('an indicator the TFD supplies beyond the catalogue', () => {
  let dir: string;
  let db: TfdDialect;
  /** Each concerned person's days of concern. */
  const concerned = new Map<string, number[]>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-extra-'));
    const bundle = join(dir, 'bundle');
    generateBundle({ people: 20_000, seed: 4, out: bundle });
    appendFileSync(join(bundle, 'indicator_catalogue.csv'), 'cse_concern,CSE concern logged,social_care,event,\n');
    const rng = new Rng(9);
    const rows: string[] = [];
    const log = (person: string, day: number) => {
      rows.push(`${person},cse_concern,${isoOf(day)},,`);
      concerned.set(person, [...(concerned.get(person) ?? []), day]);
    };
    // Three in four cohort children had a concern logged in the month before they started; a few other people had one too.
    for (const line of readFileSync(join(bundle, 'base_cohort.csv'), 'utf8').trim().split('\n').slice(1)) {
      const [person, start] = line.split(',');
      if (rng.float() < 0.75) log(person, dayOf(start) - 1 - rng.int(30));
    }
    for (const line of readFileSync(join(bundle, 'person.csv'), 'utf8').trim().split('\n').slice(1)) {
      const person = line.split(',')[0];
      if (!concerned.has(person) && rng.float() < 0.01) log(person, dayOf('2015-01-01') + rng.int(3400));
    }
    appendFileSync(join(bundle, 'indicator_fact.csv'), rows.join('\n') + '\n');
    db = await freshSqlite(dir);
    await importBundle(db, bundle);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is left out unless the partnership chooses it (an unknown code may stand for deprivation), and the run says so', async () => {
    const snapshot = await loadSnapshot(db);
    expect(featureLayout(snapshot).width).toBe(FEATURES.length);
    const summary = await scoreRun(db, { asOf: AS_OF });
    expect(summary.dataQuality.beyondCatalogue).toEqual({ used: [], unused: expect.arrayContaining(['cse_concern', 'free_school_meals', 'young_carer']) });
    expect(formatRunSummary(summary)).toContain('supplied beyond the catalogue and not used: ');
    const chosen = await scoreRun(db, { asOf: AS_OF, config: { ...defaultScoringConfig(), additionalIndicators: ['cse_concern'] } });
    expect(chosen.dataQuality.beyondCatalogue!.used).toEqual(['cse_concern']);
    const artefact = JSON.parse((await db.db.selectFrom('model_version').select('artefact').where('model_id', '=', chosen.modelId!).executeTakeFirstOrThrow()).artefact);
    expect(artefact.features).toContain('cse_concern_ever');
    expect(artefact.variables.map((v: { name: string }) => v.name)).toContain('family_ever_cse_concern');
  });

  it('when chosen, becomes an all-time count, own and family, in every feature set but recent, and weighs in the model, its reasons and their evidence', async () => {
    const snapshot = await loadSnapshot(db);
    const asOf = dayOf(AS_OF);
    const layout = featureLayout(snapshot, undefined, ['cse_concern']);
    const own = layout.names.indexOf('cse_concern_ever');
    const family = layout.names.indexOf('family_ever_cse_concern');
    // The generator itself supplies two more beyond the catalogue (free school meals, young carer): not chosen, not used.
    expect([own, family, layout.width]).toEqual([FEATURES.length, FEATURES.length + 1, FEATURES.length + 2]);
    expect(layout.sets.recent).not.toContain(own);
    for (const set of ['all-time', 'all-time-network', 'both'] as const) expect(layout.sets[set]).toEqual(expect.arrayContaining([own, family]));

    // Counted as of the date: a concern logged after it is not yet known.
    const [someone, days] = [...concerned].find(([, d]) => d.some((day) => day > asOf)) ?? [...concerned][0];
    const x = pointInTimeFeatures(snapshot, layout, snapshot.personIds.indexOf(someone), asOf, new Float64Array(layout.width));
    expect(x[own]).toBeCloseTo(Math.log1p(days.filter((day) => day <= asOf).length), 10);
    const later = pointInTimeFeatures(snapshot, layout, snapshot.personIds.indexOf(someone), dayOf('2030-01-01'), new Float64Array(layout.width));
    expect(later[own]).toBeCloseTo(Math.log1p(days.length), 10);

    const matrix = trainingMatrix(snapshot, layout, asOf, 1);
    const choice = chooseModel(snapshot, layout, asOf, matrix.rows, matrix.x);
    const cse = trainCseModel(snapshot, asOf, 1, layout, undefined, choice, matrix);
    expect(cse.model.features).toEqual(layout.names);
    const strongest = cse.model.coefficients.map((c, j) => ({ c, j })).sort((a, b) => b.c - a.c);
    expect(strongest.slice(0, 3).map((s) => layout.names[s.j])).toContain('cse_concern_ever');

    const scored = scoreChildren(snapshot, layout, { cse: cse.model, missingPerson: null }, defaultScoringConfig(), asOf);
    const named = scored.flatMap((s) => s.reasonItems.filter((r) => r.code === 'feature:cse_concern_ever'));
    expect(named.length).toBeGreaterThan(0);
    expect(named[0].text).toMatch(/^they have \d+ cse concern record\(s\) in all$/);
    expect(named[0].source).toBe('social_care');
    expect(scored.some((s) => s.contributions.some((c) => c.feature === 'cse_concern_ever'))).toBe(true);
  });
});
