import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { currentPublishedRun } from '../../db/repositories/runs.js';
import { storedEvaluation } from '../../reports/export-model-card.js';
import type { ModelSummaryView } from '../../cards/views.js';
import { ROLE_LABELS } from '../../domain/roles.js';
import { decideModelSummaryAccess } from '../../domain/access-policy.js';
import { plainText } from '../../cards/plain-text.js';
import { actorOf, isPrivateChat, placeOf, sharedChatBasis, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { notices, type Notice } from './notices.js';
import { resolveCaller } from './resolve-caller.js';
import { num, pct } from '../../domain/figures.js';

export type ModelOutcome = { readonly kind: 'model'; readonly view: ModelSummaryView } | { readonly kind: 'notice'; readonly notice: Notice };


/** `model`: officers and analysts see how the current run's model is doing, with a link to its model card. */
/** `link(path)`: an absolute, signed, expiring address for a path on the bot's server. */
export async function consultModel(deps: LookupDeps & { readonly link: (path: string) => string }, requester: Requester): Promise<ModelOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  const actor = actorOf(requester, caller);
  const run = await currentPublishedRun(deps.db);
  const record = (outcome: 'allowed' | 'refused', basis: string, shown: string) =>
    appendAccessAudit(deps.db, [{ actor, action: 'model', personId: null, outcome, basis, shown, runId: run?.runId ?? null, channel: requester.channel }], deps.now());
  if (!caller) {
    await record('refused', unknownCallerBasis(requester), '');
    return { kind: 'notice', notice: notices.unknownCaller(requester.aadObjectId) };
  }
  // The card carries a signed link to the model card: in a group chat or channel every member could open it, whatever their role.
  if (!isPrivateChat(requester)) {
    await record('refused', sharedChatBasis('model', requester), '');
    return { kind: 'notice', notice: notices.onlyInPersonalChat('model', placeOf(requester)) };
  }
  const who = `${ROLE_LABELS[caller.role]} ${caller.workerId}`;
  const decision = decideModelSummaryAccess(caller);
  if (!decision.allowed) {
    await record('refused', decision.basis, '');
    return { kind: 'notice', notice: { title: 'For officers and analysts', text: 'The model summary is shown to police officers and analysts. Ask one of them, or your Think Family administrator, for the model card.', tone: 'default' } };
  }
  const e = run ? await storedEvaluation(deps.db, run.runId) : undefined;
  if (!run || !e) {
    await record('refused', `${who}: no evaluated run to show`, '');
    return { kind: 'notice', notice: { title: 'No model card yet', text: 'No published run has an evaluation yet: run `npm run cli -- score --wait`.', tone: 'default' } };
  }
  const h = e.holdout;
  const flags = [...(e.bias.cohort?.flags ?? [])].map((f) => `${f.attribute} ${f.group}: ${f.metric.replace(/([A-Z])/g, ' $1').toLowerCase()} ${f.direction} than ${f.reference} (×${f.ratio.toFixed(2)}, ${f.low.toFixed(2)}–${f.high.toFixed(2)})`);
  const view: ModelSummaryView = {
    runId: e.runId,
    asOf: e.asOf,
    modelId: e.modelId ?? 'none (index rules only)',
    facts: [
      { title: 'Children scored', value: String(e.scores.children) },
      { title: 'On the weekly list', value: String(e.scores.onList) },
      { title: 'Cohort trained on', value: String(e.cohort.trainedOn) },
      { title: 'Recall at start of service', value: h ? `${pct(h.recallAtStartOfService)} of ${h.testCases} (holdout)` : 'n/a' },
      { title: 'Flagged who joined the cohort', value: h ? `${pct(h.flaggedInCohort)} of ${h.flagged}` : 'n/a' },
      { title: 'ROC AUC / Brier', value: h ? `${num(h.rocAuc)} / ${num(h.brierScore, 4)}` : 'n/a' },
    ],
    biasSummary: flags.length
      ? `${flags.length} error-rate disparit${flags.length === 1 ? 'y' : 'ies'} (recall, false-positive rate) outside the 0.8–1.25 parity band (whole 95% interval outside it), against the cohort; a cohort "false positive" may be a child no agency has found yet:`
      : 'No error-rate disparity (recall, false-positive rate) outside the 0.8–1.25 parity band against the cohort (sex, ethnicity, IMD quintile, area, age band; 95% intervals). List-rate differences are on the model card as context.',
    biasFlags: flags.slice(0, 8),
    cardUrl: deps.link(`/model-cards/${encodeURIComponent(e.runId)}`),
    viewer: `${plainText(caller.displayName)} (${ROLE_LABELS[caller.role]})`,
  };
  await record('allowed', decision.basis, `model summary of run ${e.runId} (aggregate figures, no person)`);
  return { kind: 'model', view };
}
