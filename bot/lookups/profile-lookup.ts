import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { topazMarkersOn } from '../../db/repositories/meetings.js';
import { openEnrolments, openInvolvements, personInArea } from '../../db/repositories/person-records.js';
import { changeOfPerson, personScore, type PersonScore, type ScoreChange } from '../../db/repositories/run-scores.js';
import { runModel, type PublishedRun } from '../../db/repositories/runs.js';
import { currentRun, listRuleOf } from '../../reports/current-run.js';
import type { IndicatorLine, ProfileView } from '../../cards/views.js';
import { plainText } from '../../cards/plain-text.js';
import { chanceSentence } from '../../cards/chance-words.js';
import { codeWords } from '../../cards/code-words.js';
import { decideProfileAccess, involvementForReader, reasonsForReader, seesPoliceOnly, type ProfileSection } from '../../domain/access-policy.js';
import { ageBand, ageOnIso } from '../../domain/ages.js';
import { parsePersonId } from '../../domain/person-id.js';
import { ROLE_LABELS, SEES_EVERYONE, type Caller } from '../../domain/roles.js';
import { actorOf, audienceOf, isPrivateChat, isoDay, placeOf, scoreText, sharedChatBasis, today, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { notices, type Notice } from './notices.js';
import { resolveCaller } from './resolve-caller.js';
import { runStamp } from './run-stamp.js';

export type ProfileOutcome = { readonly kind: 'profile'; readonly view: ProfileView } | { readonly kind: 'notice'; readonly notice: Notice };

/**
 * `profile <id>`: resolves the caller, reads the id, decides access, records
 * the consultation (or the refusal) in the audit, and only then returns what
 * may be shown. If the audit cannot be written the lookup fails and nothing
 * is disclosed.
 */
export async function consultProfile(deps: LookupDeps, requester: Requester, argument: string): Promise<ProfileOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  const parsed = parsePersonId(argument);
  const personId = parsed.kind === 'id' ? parsed.id : null;
  const refuse = async (basis: string, notice: Notice, runId: string | null = null): Promise<ProfileOutcome> => {
    await appendAccessAudit(deps.db, [{ actor: actorOf(requester, caller), action: 'profile', personId, outcome: 'refused', basis, shown: '', runId, channel: requester.channel }], deps.now());
    return { kind: 'notice', notice };
  };

  if (!caller) return refuse(unknownCallerBasis(requester), notices.unknownCaller(requester.aadObjectId));
  // A profile is decided by the caller's role, but in a group chat or channel every member reads it,
  // whatever their own role: so it is answered only where the caller alone reads it.
  if (!isPrivateChat(requester)) return refuse(sharedChatBasis('profile', requester), notices.onlyInPersonalChat('profile', placeOf(requester)));
  if (parsed.kind === 'missing') return refuse('no person id given', notices.usage());
  if (parsed.kind === 'malformed') return refuse(`input rejected: ${parsed.why}`, notices.malformed(parsed.why));
  if (parsed.kind === 'suspicious') return refuse('input rejected: text that is not a person id (quotes, operators or markup)', notices.suspicious());
  const id = parsed.id;

  const day = today(deps);
  // The same reads whether or not the person exists, so a miss and a refusal take the same work.
  const run = await currentRun(deps.db);
  const runId = run?.runId ?? null;
  const [person, involvements, enrolments, score] = await Promise.all([
    personInArea(deps.db, id),
    openInvolvements(deps.db, [id], day),
    openEnrolments(deps.db, [id], day),
    personScore(deps.db, runId ?? '', id),
  ]);
  if (!person) return refuse('no such person in the TFD', SEES_EVERYONE.has(caller.role) ? notices.noSuchPerson(id) : notices.notAvailable(id), runId);

  const onList = score && score.onList ? (score.list ?? 'children') : null;
  const decision = decideProfileAccess(caller, {
    involvements: involvements.map((i) => ({ workerId: i.workerId, agency: i.agency, role: i.role, startDate: i.startDate })),
    schoolIds: enrolments.map((e) => e.schoolId),
    onList,
    areaId: person.areaId,
  });
  if (!decision.allowed) return refuse(decision.basis, notices.notAvailable(id), runId);

  const sections = new Set(decision.sections);
  // An adult's score exists only because they are on "CSE Risk – Subjects Over 18". For anyone
  // else that adult reads exactly like any unscored adult: no score, no hint that something is withheld.
  const visibleScore = score && (score.list !== 'over_18' || sections.has('over_18')) ? score : undefined;
  const [topaz, change, model] = await Promise.all([
    sections.has('topaz') ? topazMarkersOn(deps.db, id, day) : Promise.resolve([]),
    run && visibleScore ? changeOfPerson(deps.db, run.runId, id) : Promise.resolve(undefined),
    run?.modelId ? runModel(deps.db, run.modelId) : Promise.resolve(undefined),
  ]);

  const rule = listRuleOf(run);
  const reasons = visibleScore && sections.has('reasons') ? reasonsForReader(caller.role, visibleScore.reasonItems ?? []) : null;
  const agencies = sections.has('agencies')
    ? involvements.map((i) => {
        const line = involvementForReader(caller.role, { agency: i.agency, role: i.role ?? '', worker: i.workerName ?? i.workerId ?? 'not recorded' });
        return { agency: plainText(codeWords(line.agency)), role: plainText(codeWords(line.role)), worker: plainText(line.worker), since: line.neutralised ? '' : (i.startDate ?? ''), neutralised: line.neutralised };
      })
    : [];
  const view: ProfileView = {
    personId: id,
    // Age on the run's data date, so the band agrees with the scores beside it.
    ageBand: ageBand(person.dateOfBirth ? ageOnIso(person.dateOfBirth, run ? isoDay(run.asOf) : day) : null),
    school: plainText(enrolments.map((e) => e.schoolName ?? e.schoolId).join(', ')) || 'no current school',
    area: plainText(person.areaName ?? person.areaId) || 'area unknown',
    headline: headline(visibleScore, run, rule),
    indicators: [...scoreLines(visibleScore, change, sections, model?.horizonDays ?? null, rule, seesPoliceOnly(caller.role)), ...topaz.map((m) => ({ indicator: `Op Topaz marker: ${plainText(m.marker)}`, date: m.startDate, value: 'active', notes: plainText(m.note) }))],
    reasons: reasons?.lines ?? [],
    agencies: agencies.map(({ neutralised: _n, ...a }) => a),
    run: run ? runStamp(run, model) : null,
    viewer: `${plainText(caller.displayName)} (${ROLE_LABELS[caller.role]})`,
  };
  const shown = `${shownSummary(caller, visibleScore, reasons, agencies.filter((a) => a.neutralised).length, agencies.length, topaz.length)}; ${audienceOf(requester)}`;
  await appendAccessAudit(
    deps.db,
    [{ actor: actorOf(requester, caller), action: 'profile', personId: id, outcome: 'allowed', basis: decision.basis, shown, runId, channel: requester.channel }],
    deps.now(),
  );
  return { kind: 'profile', view };
}

function headline(score: PersonScore | undefined, run: PublishedRun | undefined, rule: 'model' | 'bands'): string {
  if (!run) return 'No scoring run has been published yet.';
  if (!score) return 'No CSE score in the current run: the model scores children.';
  if (score.list === 'over_18') return score.onList ? 'Listed under “CSE Risk – Subjects Over 18”: people at risk appear in their network. This is not a finding of any wrongdoing.' : 'Not listed.';
  if (rule === 'model') {
    const chance = `score ${scoreText(score.finalScore)}: the chance in 100 of acceptance by the exploitation service`;
    if (score.onList) return `On the meeting’s list (${chance}).`;
    if (score.band === 'medium') return `In the watch band: for lead professionals, not on the meeting’s list (${chance}).`;
    return `Not on the meeting’s list (${chance}).`;
  }
  if (score.onList) return `On the weekly list: ${score.band} risk band (score ${scoreText(score.finalScore)} of 100).`;
  return `Not on the weekly list (score ${scoreText(score.finalScore)} of 100, ${score.band} band).`;
}

const CHANGE_WORDS: Record<string, string> = { joined_list: 'joined the list', left_list: 'left the list', band_up: 'moved up a band', band_down: 'moved down a band' };

const horizonWords = (days: number) => (days === 365 ? 'a year' : `${days} days`);

function scoreLines(
  score: PersonScore | undefined,
  change: ScoreChange | undefined,
  sections: ReadonlySet<ProfileSection>,
  horizonDays: number | null,
  rule: 'model' | 'bands',
  police: boolean,
): IndicatorLine[] {
  if (!score || !sections.has('scores')) return [];
  const date = isoDay(score.asOf);
  if (score.list === 'over_18') {
    return [{ indicator: 'CSE Risk – Subjects Over 18', date, value: scoreText(score.finalScore), notes: score.onList ? 'listed in this run; listing does not mean wrongdoing' : 'not listed' }];
  }
  const placement = rule === 'model' ? (score.onList ? 'on the meeting’s list' : score.band === 'medium' ? 'watch band' : `${score.band} band`) : `${score.band} band${score.onList ? ', on the weekly list' : ''}`;
  const lines: IndicatorLine[] = [
    { indicator: 'CSE risk', date, value: scoreText(score.finalScore), notes: `${placement}; ${rule === 'model' ? 'the chance in 100 below, as the partnership’s list rule reads it' : 'the higher of the two scores below'}` },
  ];
  // Under the model's list rule the list reads the chance; the predictive score (a rank against accepted children,
  // often 100 for a child whose chance is 39 in 100) would read as contradicting it, so it is not shown.
  if (rule === 'bands') lines.push({ indicator: 'CSE predictive score', date, value: scoreText(score.predictiveScore), notes: 'similarity to children accepted onto the exploitation service, at their start of service' });
  // The index's points come mostly from police-only rules (Topaz, CSE-tagged records): for anyone else the number alone would say which fired.
  if (police || rule === 'bands') lines.push({ indicator: 'CSE index score', date, value: scoreText(score.indexScore), notes: rule === 'model' ? 'analysts’ derived index (published rules); evidence beside the model, not an override' : 'analysts’ derived index (published rules)' });
  if (score.probability !== null && score.probability !== undefined && horizonDays !== null) {
    const inHundred = Math.round(100 * score.probability);
    lines.push({
      indicator: `Chance of acceptance within ${horizonWords(horizonDays)}`,
      date,
      value: inHundred < 1 ? 'under 1 in 100' : `about ${inHundred} in 100`,
      notes: `${chanceSentence(inHundred, horizonWords(horizonDays))} Calibrated on the cohort; checked on the model card.${rule === 'bands' ? ' Not the scores above, which place a child among others (0–100) and decide the list.' : ''}`,
    });
  }
  if (score.networkScore !== null) lines.push({ indicator: 'CSE network risk', date, value: scoreText(score.networkScore), notes: 'associates carrying risk: how many, how much, how close' });
  lines.push({ indicator: 'Missing person risk (MPRsk)', date, value: score.missingPersonRisk === null ? '—' : `${Math.round(score.missingPersonRisk)}%`, notes: score.missingPersonRisk === null ? 'no recent missing episode' : 'chance of going missing again' });
  lines.push({ indicator: 'Conduct disorder risk', date, value: score.conductDisorderRisk ? 'yes' : 'no', notes: `${score.conductFlags} conduct record(s)` });
  if (change) lines.push({ indicator: 'Change since the last run', date, value: CHANGE_WORDS[change.change] ?? change.change, notes: change.previousBand ? `was ${change.previousBand}` : '' });
  return lines;
}

/** Exactly what the reader was shown, for the audit: which reasons by code, and what was neutralised or left out. */
function shownSummary(caller: Caller, score: PersonScore | undefined, reasons: ReturnType<typeof reasonsForReader> | null, neutralisedAgencies: number, agencies: number, topazMarkers: number): string {
  const parts = ['header (id, age band, school, area)'];
  if (score) parts.push(`scores (final ${scoreText(score.finalScore)}, band ${score.band}${score.list === 'over_18' ? ', over-18 list' : ''})`);
  if (reasons) parts.push(`reasons [${reasons.shownCodes.join(', ')}]${reasons.policeHoldMore ? ' + "police hold further information" line' : ''}`);
  if (agencies) parts.push(`agencies (${agencies}${neutralisedAgencies ? `, ${neutralisedAgencies} police involvement(s) without role or name` : ''})`);
  if (topazMarkers) parts.push(`Topaz markers (${topazMarkers})`);
  parts.push(`as ${caller.role}`);
  return parts.join('; ');
}
