import type { RunSummary } from '../worker/pipeline/score-run.js';
import type { TruthMetrics } from '../worker/model/truth-evaluation.js';
import { num, pct } from '../domain/figures.js';
import { describeBlend } from '../worker/model/model-choice.js';


export function formatRunSummary(s: RunSummary): string {
  const lines = [
    `run ${s.runId} published: as of ${s.asOf}, model ${s.modelId ?? 'none'}, index rules ${s.indexRules}`,
    ...listLines(s),
    s.modelId ? `  trained on ${s.cohortSize} cohort children at their start of service${s.modelSelection ? `; ${s.modelSelection.members.length > 1 ? 'the mean of ' : ''}${describeBlend(s.modelSelection)}, ${s.modelSelection.chosenBy === 'cohort' ? `the best ${s.modelSelection.members.length} on the cohort (${s.modelSelection.heldOutChildren} held-out cohort children ranked against ${s.modelSelection.comparisonChildren}; average precision of the blend ${num(s.modelSelection.averagePrecision ?? Number.NaN)}, best single ${bestAp(s.modelSelection)})` : 'the default (too few cohort children to choose)'}` : ''}` : `  NO PREDICTIVE MODEL: ${s.dataQuality.predictiveModel}; scores are the index score and the Topaz rule only`,
  ];
  if (s.meetingLabels && s.meetingLabels.count > 0) lines.push(`  labels from the meeting and alert answers: ${s.meetingLabels.count}: ${s.meetingLabels.note}`);
  const h = s.holdout;
  if (h) {
    lines.push(
      `  temporal holdout (trained on ${h.trainCases} who started before ${h.cutDate}, tested on ${h.testCases} after; flag = ${s.list?.rule === 'model' ? `predictive score ≥ ${h.threshold}, Bristol's flag, for comparison: the list rule's own check is above` : `score ≥ ${h.threshold}`}):`,
      `    recall of the cohort at start of service ${pct(h.recallAtStartOfService)}  (Bristol reported 94%)`,
      `    share of those flagged on ${h.cutDate} who are in the cohort ${pct(h.flaggedInCohort)} of ${h.flaggedOnCutDate}  (Bristol reported 69%)`,
      `    average precision ${h.averagePrecision.toFixed(3)}`,
    );
    const e = s.evaluation;
    if (e) {
      lines.push(`    prospectively (children not yet in the cohort on ${h.cutDate}): ROC AUC ${num(e.rocAuc)}, Brier score ${num(e.brierScore, 4)}, precision at the list size ${pct(e.precisionAtListSize)}`);
      if (e.baselineAveragePrecision !== null && e.averagePrecision !== null) {
        lines.push(`    against a plain baseline on the same children (logistic regression on all-time counts): average precision ${num(e.averagePrecision)} vs ${num(e.baselineAveragePrecision)}`);
        if (e.modelBeatsBaseline === false) lines.push('  WARNING: the model ranks worse than the plain baseline on the holdout: treat its ranking with caution and see the model card');
      }
    }
  } else {
    lines.push('  temporal holdout: not enough cohort members to hold any back');
  }
  if (s.evaluation) {
    lines.push(
      s.evaluation.biasFlags === 0
        ? '  bias audit: no error-rate disparity (recall, false-positive rate) outside the 0.8–1.25 parity band (by sex, ethnicity, IMD quintile, area, age band; 95% intervals); list-rate differences are context on the model card'
        : `  bias audit: ${s.evaluation.biasFlags} error-rate disparit${s.evaluation.biasFlags === 1 ? 'y' : 'ies'} (recall, false-positive rate) outside the 0.8–1.25 parity band: see the model card`,
    );
  }
  if (s.network) {
    const n = s.network;
    lines.push(
      `  network: ${n.edges.toLocaleString('en-GB')} relationships (people sharing ≥ ${n.minShared} police records; ${n.bigEventsSkipped} records with more than ${n.maxParties} people not counted)`,
      `    how it moves with the threshold: ${n.sensitivity.map((p) => `K=${p.minShared}: ${p.edges.toLocaleString('en-GB')} links, ${p.peopleLinked.toLocaleString('en-GB')} people, ${p.childrenWithRiskyAssociates} children with an associate at risk`).join('; ')}`,
      `  CSE Risk – Subjects Over 18: ${s.overEighteen.onList} listed of ${s.overEighteen.considered} adults with CSE risk in their network`,
    );
  } else {
    lines.push('  network: not computed for this run');
  }
  const dq = s.dataQuality;
  lines.push(
    `  data quality: ${dq.peopleWithoutBirthDate} people without a date of birth (not scored); ${dq.factsWithUnknownCode} facts with codes missing from the catalogue${dq.unknownCodes.length ? ` (${dq.unknownCodes.join(', ')})` : ''}; ${dq.cohortMembersWithoutFacts} cohort members with no indicator records${beyond(dq.beyondCatalogue)}`,
    `  since ${s.previousRunId ?? 'no previous run'}: ${s.changes.joined_list} joined the list, ${s.changes.left_list} left, ${s.changes.band_up} moved up a band, ${s.changes.band_down} down`,
    `  stage seconds: ${Object.entries(s.seconds)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  return lines.join('\n');
}

export function formatTruth(t: TruthMetrics): string {
  return [
    `  against truth.csv (synthetic ground truth, never seen by the model):`,
    `    exploited children among those scored: ${t.victims}; on the list: ${t.victimsOnList} (recall ${pct(t.recall)})`,
    `    never known to any agency: ${t.neverKnownVictims}; on the list: ${pct(t.neverKnownRecall)}`,
    `    share of the list who were exploited: ${pct(t.listPrecision)}; average precision ${Number.isNaN(t.averagePrecision) ? 'n/a' : t.averagePrecision.toFixed(3)}`,
  ].join('\n');
}

const horizon = (days: number) => (days === 365 ? 'a year' : `${days} days`);
/** A small chance as people read it: "1.2 in 100", "4 in 1,000". */
const chance = (p: number) => (p >= 0.01 ? `${num(100 * p, 1)} in 100` : `${num(1000 * p, p >= 0.001 ? 1 : 2)} in 1,000`);

function listLines(s: RunSummary): string[] {
  const l = s.list;
  if (!l || l.rule === 'bands') {
    return [
      `  ${s.children.toLocaleString('en-GB')} children scored; on the weekly list: ${s.onList} (high ${s.bands.high}, medium ${s.bands.medium}; Topaz victims ${s.topazOnList}); low ${s.bands.low}`,
      ...(l?.fallback ? [`  list rule: Bristol's bands (max of predictive and index score), because ${l.fallback}`] : l ? ['  list rule: Bristol\'s bands (max of predictive and index score), as configured'] : []),
    ];
  }
  const lines = [
    `  ${s.children.toLocaleString('en-GB')} children scored; on the meeting's list: ${l.size} (at most ${l.capacity} by their chance of acceptance, plus ${l.topazVictims} active Topaz victim(s)); watch band: ${l.watch} (shown to lead professionals)`,
    `  list rule: calibrated chance of acceptance within ${horizon(l.horizonDays)} of at least ${chance(l.threshold!)}, the chance of the top ${pct(l.comparisonShare ?? Number.NaN)} of never-accepted children aged 10–17: as deep as the cohort's cross-validation keeps ${pct(l.minPrecision)} of those listed exploited${l.acceptedShare < 1 ? `, if the service has accepted ${pct(l.acceptedShare)} of exploited children` : ''}${l.floorReached ? '' : ' (not reachable: the best it allows)'} (there ${pct(l.estimatedPrecision!)} of those listed are cohort children, a lower bound as children nobody found count against it${l.acceptedShare < 1 ? `; read as exploited, ${pct(l.assumedPrecision ?? Number.NaN)}` : ''}; ${l.heldOutListed} of ${l.heldOut} held-out cohort children listed, ${pct(l.estimatedRecall!)})`,
    `  expected to be accepted within ${horizon(l.horizonDays)} among the listed: about ${num(l.expectedAccepted ?? 0, 1)} (the sum of their calibrated chances)`,
    ...(s.evaluation?.topOfList
      ? [`    checked on the holdout: its ${s.evaluation.topOfList.children} highest-chance children were given ${pct(s.evaluation.topOfList.meanPredicted)} on average; ${pct(s.evaluation.topOfList.observed)} were accepted within ${horizon(l.horizonDays)}${s.evaluation.topOfList.meanPredicted > 2 * s.evaluation.topOfList.observed ? ': the top is overconfident, read the expected number as an upper bound' : ''}${slopeNote(s.evaluation.calibrationSlope)}`]
      : []),
    `    with the threshold, before the capacity of ${l.capacity}: ${l.sensitivity.map((r) => `${chance(r.threshold)}: ${r.size} children, ${num(r.expectedAccepted, 1)} expected`).join('; ')}`,
  ];
  return lines;
}

const byAp = (choice: NonNullable<RunSummary['modelSelection']>) => [...choice.candidates].sort((a, b) => b.averagePrecision - a.averagePrecision);
const bestAp = (choice: NonNullable<RunSummary['modelSelection']>) => num(byAp(choice)[0]?.averagePrecision ?? Number.NaN);

/** Indicators beyond the catalogue: which the model used, and which it left out until the partnership chooses them. */
function beyond(b: RunSummary['dataQuality']['beyondCatalogue']): string {
  if (!b || b.used.length + b.unused.length === 0) return '';
  const used = b.used.length ? `; used by the model beyond the catalogue: ${b.used.join(', ')}` : '';
  const unused = b.unused.length ? `; supplied beyond the catalogue and not used: ${b.unused.join(', ')} (name them in the scoring configuration's additionalIndicators to use them, after checking none stands for deprivation, sex or ethnicity)` : '';
  return used + unused;
}

/** The holdout's calibration slope as the summary states it. */
function slopeNote(slope: { slope: number; children: number; accepted: number } | null | undefined): string {
  if (slope === undefined) return '';
  if (slope === null) return '; too few accepted within the horizon on the holdout to read a calibration slope, so the chances are not scaled';
  return `; chances scaled by the holdout's calibration slope ${num(slope.slope)} (read off ${slope.children.toLocaleString('en-GB')} children, ${slope.accepted} accepted; each half checked with the other half's slope)`;
}
