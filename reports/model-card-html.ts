import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { BiasAudit } from '../worker/evaluation/bias-audit.js';
import type { RunEvaluation } from '../worker/evaluation/run-evaluation.js';
import { num, pct } from '../domain/figures.js';
import { describeBlend, type ModelCandidate } from '../worker/model/model-choice.js';

const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A Vega-Lite chart as inline SVG (no browser, no network). */
async function svg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const out = await view.toSVG();
  view.finalize();
  return out;
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', width: 360, height: 220 } as const;

async function charts(e: RunEvaluation): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (e.holdout && e.holdout.precisionRecall.length > 0) {
    out.pr = await svg({
      ...base,
      title: 'Precision–recall (temporal holdout)',
      data: { values: e.holdout.precisionRecall.map((p) => ({ recall: p.recall, precision: p.precision })) },
      mark: { type: 'line', point: false, interpolate: 'step-after' },
      encoding: { x: { field: 'recall', type: 'quantitative', title: 'Recall', scale: { domain: [0, 1] } }, y: { field: 'precision', type: 'quantitative', title: 'Precision', scale: { domain: [0, 1] } } },
    } as TopLevelSpec);
    // The diagonal up to the largest rate shown: calibrated chances are small, and a 0–1 diagonal would hide them.
    const top = Math.max(0.01, ...e.holdout.calibration.map((b) => Math.max(b.meanPredicted, b.observedRate)));
    out.calibration = await svg({
      ...base,
      title: e.holdout.calibrated ? `Calibration: chance of acceptance within ${e.holdout.horizonDays} days, by tenth of predicted risk (temporal holdout)` : 'Calibration (temporal holdout)',
      data: { values: e.holdout.calibration.map((b) => ({ predicted: b.meanPredicted, observed: b.observedRate, children: b.count })) },
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: top, y: top }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative', title: 'Mean predicted probability' }, y: { field: 'y', type: 'quantitative', title: 'Observed rate' } } },
        { mark: { type: 'point', filled: true }, encoding: { x: { field: 'predicted', type: 'quantitative', title: 'Mean predicted probability' }, y: { field: 'observed', type: 'quantitative', title: 'Observed rate' }, size: { field: 'children', type: 'quantitative', title: 'Children' } } },
      ],
    } as TopLevelSpec);
  }
  out.distribution = await svg({
    ...base,
    title: 'Final scores of children at the run date',
    data: { values: e.scores.distribution.flatMap((b) => [{ from: b.from, group: 'on the list', children: b.listed }, { from: b.from, group: 'not on the list', children: b.notListed }]) },
    mark: 'bar',
    encoding: {
      x: { field: 'from', type: 'ordinal', title: 'Final score (bins of 5)' },
      y: { field: 'children', type: 'quantitative', title: 'Children', scale: { type: 'symlog' } },
      color: { field: 'group', type: 'nominal', title: null, scale: { range: ['#c0392b', '#95a5a6'] } },
    },
  } as TopLevelSpec);
  const audit = e.bias.truth ?? e.bias.cohort;
  if (audit) {
    const values = audit.attributes.flatMap((a) =>
      a.groups.flatMap((g) =>
        (['recall', 'falsePositiveRate'] as const).map((metric) => ({ group: `${a.attribute}: ${g.group}`, metric: metric === 'recall' ? 'recall' : 'false-positive rate', value: Number.isNaN(g.rates[metric].value) ? null : g.rates[metric].value, low: g.rates[metric].low, high: g.rates[metric].high })),
      ),
    );
    out.groups = await svg({
      $schema: base.$schema,
      title: `Recall and false-positive rate by group (${audit === e.bias.truth ? 'against ground truth' : 'against the cohort, holdout'})`,
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null } },
      spec: {
        width: 260,
        height: { step: 14 },
        layer: [
          { mark: { type: 'rule' }, encoding: { y: { field: 'group', type: 'nominal', title: null }, x: { field: 'low', type: 'quantitative', title: 'Rate (95% interval)' }, x2: { field: 'high' } } },
          { mark: { type: 'point', filled: true }, encoding: { y: { field: 'group', type: 'nominal', title: null }, x: { field: 'value', type: 'quantitative', title: 'Rate (95% interval)' } } },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    } as TopLevelSpec);
  }
  return out;
}

function choiceSection(e: RunEvaluation): string {
  const c = e.modelChoice;
  if (!c) return '<p>No model was trained for this run, or it was evaluated before runs chose their features.</p>';
  // Runs evaluated before blends chose one candidate, kept as featureSet and l2.
  const members = c.members ?? [c as unknown as ModelCandidate];
  if (c.chosenBy === 'default') return `<p>Only ${c.heldOutChildren} cohort children are under 18 on the run date, too few to choose on: the run used ${esc(describeBlend({ members }))}, and the list falls back to Bristol's rule.</p>`;
  const isMember = (k: ModelCandidate) => members.some((m) => m.featureSet === k.featureSet && m.l2 === k.l2);
  const rows = [...c.candidates]
    .sort((a, b) => b.averagePrecision - a.averagePrecision)
    .map((k) => [isMember(k) ? `${k.featureSet} (in the blend)` : k.featureSet, String(k.l2), num(k.averagePrecision)]);
  if (c.averagePrecision !== null && c.averagePrecision !== undefined) rows.unshift([`the blend: mean of the ${members.length} best`, '', num(c.averagePrecision)]);
  return `<p>Each run chooses which features the model uses (<em>recent</em>: windows, recency, network and context; <em>all-time</em>: all-time counts, own and family, with age; <em>all-time-network</em>: those with the network features; <em>both</em>: everything) and how strongly its coefficients are pulled in, on the cohort alone: cohort children are split into ${c.folds} folds, and a model trained without a fold ranks that fold's ${c.heldOutChildren} children still under 18 against ${c.comparisonChildren.toLocaleString('en-GB')} children aged 10–17 the service never accepted, on the run date. The model is the mean of the ${members.length} candidates with the best mean average precision (its log-odds averaged, so it is still one logistic model and every score still adds up indicator by indicator): with a few dozen held-out children the single winner is partly luck. Never chosen on anything a real TFD lacks.</p>${table(['feature set', 'L2 penalty', 'average precision (cohort, cross-validated)'], rows)}`;
}

function baselineSection(e: RunEvaluation): string {
  // Runs evaluated before the baseline existed have none.
  const b = e.baseline;
  if (!b) return '<p>This run was evaluated before every run was compared with a baseline.</p>';
  const rows: (string | number)[][] = [];
  if (b.holdout) {
    rows.push(['temporal holdout: average precision', num(b.holdout.model.averagePrecision), num(b.holdout.baseline.averagePrecision)]);
    rows.push(['temporal holdout: ROC AUC', num(b.holdout.model.rocAuc), num(b.holdout.baseline.rocAuc)]);
  }
  if (b.truth) rows.push(['ground truth: average precision of the run’s ranking', num(b.truth.model.averagePrecision), num(b.truth.baseline.averagePrecision)]);
  const verdict =
    b.modelBeatsBaseline === false
      ? '<p class="flag"><strong>The model ranks worse than the plain baseline on the holdout.</strong> Treat its ranking with caution.</p>'
      : b.modelBeatsBaseline
        ? '<p>The model ranks at least as well as the plain baseline on the holdout.</p>'
        : '';
  return `<p>${esc(b.description)} Both are trained and judged on the same children.</p>${rows.length ? table(['measure', 'model', 'baseline'], rows) : '<p>Not enough cohort members for a holdout.</p>'}${verdict}`;
}

function auditTable(audit: BiasAudit | null, title: string): string {
  if (!audit) return `<h3>${esc(title)}</h3><p>Not available for this run.</p>`;
  const rows = audit.attributes
    .flatMap((a) =>
      a.groups.map((g) => {
        const cell = (metric: 'listRate' | 'recall' | 'falsePositiveRate') => {
          const r = g.rates[metric];
          const d = g.disparities[metric];
          const ratio = g.group === a.reference ? 'reference' : d ? `${num(d.ratio, 2)} (${num(d.low, 2)}–${num(d.high, 2)})` : 'n/a';
          const mark = d?.flagged ? ' ⚑' : d?.outsideBand ? ' (context)' : '';
          return `<td>${pct(r.value)}<br><small>${esc(r.numerator)}/${esc(r.denominator)}</small></td><td class="${d?.flagged ? 'flag' : ''}">${esc(ratio)}${mark}</td>`;
        };
        return `<tr><td>${esc(a.attribute)}</td><td>${esc(g.group)}</td><td>${g.members}</td>${cell('listRate')}${cell('recall')}${cell('falsePositiveRate')}</tr>`;
      }),
    )
    .join('');
  const describe = (f: BiasAudit['flags'][number]) => esc(`${f.attribute} ${f.group}: ${f.metric} ${f.direction} than ${f.reference} (ratio ${num(f.ratio, 2)}, ${num(f.low, 2)}–${num(f.high, 2)})`);
  const flags = audit.flags.length
    ? `<p class="flag"><strong>${audit.flags.length} error-rate disparit${audit.flags.length === 1 ? 'y' : 'ies'} outside the ${audit.band.low}–${audit.band.high} parity band</strong> (the whole 95% interval outside it): ${audit.flags.map(describe).join('; ')}.</p>`
    : `<p>No error-rate disparity (recall, false-positive rate) outside the ${audit.band.low}–${audit.band.high} parity band (95% intervals).</p>`;
  const context = (audit.context ?? []).length
    ? `<p><small>Context, not flags: ${audit.context.length} list-rate difference(s) outside the band: ${audit.context.map(describe).join('; ')}. How often a group is listed also follows how much need differs between groups (deprivation, area, age), so it is reported, not flagged.</small></p>`
    : '';
  const cohortCaveat = /cohort/i.test(audit.labels)
    ? '<p><small>Against the cohort, a “false positive” is a listed child who was not later accepted by the exploitation service: some of them may be children no agency has found yet.</small></p>'
    : '';
  return `<h3>${esc(title)}</h3><p><small>${esc(audit.labels)}; ${audit.subjects} children. Ratios are to the largest group; an error rate is flagged only when its whole interval lies outside the band, so small groups cannot raise an alarm on a handful of children.</small></p>${flags}${context}${cohortCaveat}
<table><thead><tr><th>attribute</th><th>group</th><th>children</th><th>list rate</th><th>ratio</th><th>recall</th><th>ratio</th><th>false-positive rate</th><th>ratio</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const table = (head: string[], rows: (string | number)[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

/** The model card as one self-contained HTML page (inline SVG charts; opens offline). */
export async function modelCardHtml(e: RunEvaluation): Promise<string> {
  const c = await charts(e);
  const h = e.holdout;
  const q = e.data.quality;
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Model card: run ${esc(e.runId)}</title>
<style>
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;max-width:1100px;color:#222;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:2px solid #1f5f8b;padding-bottom:2px;margin-top:32px}
table{border-collapse:collapse;margin:8px 0;font-size:.9em}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}th{background:#e8f0f6}
.statement{background:#fde9c8;border-left:4px solid #e8a33d;padding:8px 12px}.flag{color:#a31515;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:16px}.muted{color:#666}
</style></head><body>
<h1>Model card</h1>
<p class="muted">Run <strong>${esc(e.runId)}</strong>, data as of <strong>${esc(e.asOf)}</strong>; model ${esc(e.modelId ?? 'none (index rules only)')}; index rules ${esc(e.indexRules)}; generated ${esc(e.generatedAt)} UTC. The JSON twin of this page holds every number shown.</p>
<p class="statement">${esc(e.statement)} Sex and ethnicity are never model inputs; they are used here only to audit the model.</p>

<h2>How the model was chosen</h2>
${choiceSection(e)}

<h2>Performance on a temporal holdout</h2>
${
  h
    ? `<p>A model trained only on children who started with the service before <strong>${esc(h.cutDate)}</strong> (${h.trainCases} children) is judged on what happened next.</p>
${table(
  ['measure', 'value', 'what it means'],
  [
    ['recall of the cohort at start of service', pct(h.recallAtStartOfService), `share of the ${h.testCases} children who started after the cut scored ≥ ${h.threshold} at their start of service (Bristol reported 94%)`],
    ['flagged who joined the cohort', pct(h.flaggedInCohort), `of ${h.flagged} children aged 10–17 flagged on the cut date and not yet known, the share accepted onto the service by ${e.asOf}`],
    ['precision at the list size', pct(h.precisionAtListSize), `among the ${h.listSize} highest-scored on the cut date (this run's list size)`],
    ['average precision', num(h.averagePrecision), `ranking ${h.population} children against the ${h.laterJoiners} who joined later`],
    ['ROC AUC', num(h.rocAuc), 'chance a later joiner outranks a child who did not join'],
    ...(h.calibrated
      ? [
          ['Brier score', num(h.brierScore, 4), `mean squared error of the calibrated chance of acceptance within ${h.horizonDays} days of the cut, against the ${h.acceptedWithinHorizon} children accepted within them`],
          ['calibration in the large', `${pct(h.meanProbability)} predicted, ${pct(h.acceptedWithinHorizon / Math.max(1, h.population))} observed`, 'the mean calibrated chance over the holdout children against the share accepted within the horizon'],
          ...(h.topOfList
            ? [['calibration at the top', `${pct(h.topOfList.meanPredicted)} predicted, ${pct(h.topOfList.observed)} observed`, `the ${h.topOfList.children} children with the highest chance on the cut date (this run's list size): where a list is made, an overconfident top shows here`]]
            : []),
          ['calibration slope', h.calibrationSlope ? num(h.calibrationSlope.slope) : 'none', h.calibrationSlope ? `read off these ${h.calibrationSlope.children.toLocaleString('en-GB')} children (${h.calibrationSlope.accepted} accepted within the horizon) and applied to the run's chances: below 1, the model spread its chances too wide. Each half of them was checked with the slope read off the other half` : 'too few children were accepted within the horizon to read one: the chances are not scaled'],
        ]
      : [['Brier score', num(h.brierScore, 4), 'of the uncalibrated score (this run has no calibration): the model is fitted on 1 cohort child to 10 comparison children, so its probabilities overstate the population rate']]),
  ],
)}`
    : '<p>Not enough cohort members to hold any back: no holdout figures for this run.</p>'
}
<div class="charts">${c.pr ?? ''}${c.calibration ?? ''}${c.distribution}</div>

<h2>Beside a plain baseline</h2>
${baselineSection(e)}

<h2>Against ground truth (synthetic bundles only)</h2>
${
  e.truth
    ? table(
        ['measure', 'value'],
        [
          ['exploited children (by the run date)', e.truth.exploited],
          ['of whom on the list', `${e.truth.onList} (${pct(e.truth.recall)})`],
          ['never known to any agency', e.truth.neverKnown],
          ['of whom on the list', `${e.truth.neverKnownOnList} (${pct(e.truth.neverKnownRecall)})`],
          ['share of the list exploited', pct(e.truth.precision)],
          ...(e.truth.overEighteen
            ? [['“CSE Risk – Subjects Over 18”: listed adults among the exploiters and facilitators', `${e.truth.overEighteen.exploitersListed} of ${e.truth.overEighteen.listed} (${pct(e.truth.overEighteen.precision)}; ${e.truth.overEighteen.exploiters} in the bundle)`]]
            : []),
        ],
      )
    : '<p>No ground truth: real data has none. Figures above are against the cohort.</p>'
}

<h2>Bias audit</h2>
<div class="charts">${c.groups ?? ''}</div>
${auditTable(e.bias.truth, 'Against ground truth')}
${auditTable(e.bias.cohort, 'Against the cohort (temporal holdout)')}

<h2>Threshold sensitivity</h2>
<h3>Band threshold (the score from which a child is listed)</h3>
${table(
  ['threshold', 'list size (run date)', 'recall (truth)', 'precision (truth)', 'flagged on cut date', 'recall (holdout)', 'precision (holdout)'],
  (e.sensitivity.bands.holdout.length ? e.sensitivity.bands.holdout : (e.sensitivity.bands.truth ?? [])).map((row, i) => {
    const t = e.sensitivity.bands.truth?.[i];
    const hRow = e.sensitivity.bands.holdout[i];
    return [row.threshold, t?.listSize ?? '—', pct(t?.recall ?? null), pct(t?.precision ?? null), hRow?.listSize ?? '—', pct(hRow?.recall ?? null), pct(hRow?.precision ?? null)];
  }),
)}
<h3>Network: shared police records needed to link two people (K)</h3>
${e.sensitivity.network.length ? table(['K', 'relationships', 'people linked', 'children with an associate at risk', 'list size', 'recall (truth)', 'precision (truth)'], e.sensitivity.network.map((n) => [n.minShared, n.relationships, n.peopleLinked, n.childrenWithRiskyAssociates, n.listSize, pct(n.recall), pct(n.precision)])) : '<p>The network was not inferred in this run.</p>'}
<p class="muted">Each K rescored every child with this run's trained model and index rules (the model is not retrained).</p>

<h2>Data used</h2>
<p>${e.data.people} people (${e.data.children} children), ${e.data.facts} indicator records (${esc(e.data.factDates.from)} to ${esc(e.data.factDates.to)}), ${e.data.policeRecords} police records (${esc(e.data.recordDates.from)} to ${esc(e.data.recordDates.to)}); the model was trained on ${e.cohort.trainedOn} cohort children at their start of service.</p>
${table(['area', 'people', 'children', ...(e.data.areas[0]?.sources.map((s) => s.source) ?? [])], e.data.areas.map((a) => [a.areaId, a.people, a.children, ...a.sources.map((s) => `${pct(s.peopleCovered)}${s.supplied ? '' : ' (not supplied)'}`)]))}
<p class="muted">Cells: share of the area's people with at least one record from the source.</p>

<h2>Data quality</h2>
${table(
  ['check', 'count'],
  [
    ['sources with no records in an area where others have them', q.missingSources.map((m) => `${m.areaId}: ${m.source}`).join(', ') || 'none'],
    ['people without a date of birth (not scored)', q.peopleWithoutBirthDate],
    ['indicator records before the person was born', q.factsBeforeBirth],
    ['indicator records dated after the run date', q.factsAfterAsOf],
    ['police records dated after the run date', q.recordsAfterAsOf],
    ['duplicate indicator records (same person, code and date)', q.duplicateFacts],
    ['records with codes missing from the catalogue', `${q.factsWithUnknownCode}${q.unknownCodes.length ? ` (${q.unknownCodes.join(', ')})` : ''}`],
    ['people without any family link', q.peopleWithoutFamily],
    ['children aged 5–15 with no open school enrolment', q.schoolAgeWithoutSchool],
    ['cohort members with no indicator records', q.cohortMembersWithoutFacts],
  ],
)}

<h2>Top indicators</h2>
${e.topIndicators.length ? table(['variable', 'weight (standardised)', 'definition'], e.topIndicators.map((t) => [t.name, num(t.weight, 2), t.description])) : '<p>No predictive model in this run.</p>'}

<h2>Changes since the last run</h2>
${table(['change', 'people'], Object.entries(e.changes).map(([k, v]) => [k.replace(/_/g, ' '), v]))}

<h2>Labels from the multi-agency meeting</h2>
<p><strong>${e.meetingLabels.count}</strong> labels. ${esc(e.meetingLabels.note)}</p>
${
  e.meetingLabels.moves?.length
    ? `<p>How the model moved: the standardised coefficients that changed most between a model trained on the same rows without these labels and this run's model. Correlated variables (a child's and their family's counts, say) trade weight between them, so a few labels can move single coefficients noticeably: read the moves together.</p>${table(['variable', 'without the labels', 'with them'], e.meetingLabels.moves.map((m) => [m.feature, num(m.without, 3), num(m.with, 3)]))}`
    : ''
}
<p class="muted">Labels enter only as training rows, with features read as of the meeting date; no variable reads the meeting's records, so the model cannot learn that a child was discussed.</p>

<h2>Variables</h2>
<details><summary>${e.variables.length} variables (sex, ethnicity and deprivation are not among them)</summary>${table(['name', 'definition'], e.variables.map((v) => [v.name, v.description]))}</details>
</body></html>
`;
}
