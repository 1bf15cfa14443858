import { appendAccessAudit } from '../../db/repositories/access-audit.js';
import { activeTopazMarkersOf, changeOf, modelById, openEnrolmentsOf, openInvolvementsOf, personWithArea, scoreOf } from '../../db/queries/lookup-queries.js';
import { currentRun } from '../../db/queries/run-queries.js';
import type { RunRow, RunScoreRow } from '../../db/schema/database-schema.js';
import type { IndicatorLine, ProfileView } from '../../cards/views.js';
import { plainText } from '../../cards/plain-text.js';
import { chanceSentence } from '../../cards/chance-words.js';
import { codeWords } from '../../cards/code-words.js';
import { decideProfileAccess, involvementForReader, reasonsForReader, seesPoliceOnly, type ProfileSection } from '../../domain/access-policy.js';
import { ageBand, ageOnIso } from '../../domain/ages.js';
import { parsePersonId } from '../../domain/person-id.js';
import { parseReasonItems } from '../../domain/reason-item.js';
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
  const run = await currentRun(deps.db).executeTakeFirst();
  const [person, involvements, enrolments, score] = await Promise.all([
    personWithArea(deps.db, id).executeTakeFirst(),
    openInvolvementsOf(deps.db, [id], day).execute(),
    openEnrolmentsOf(deps.db, [id], day).execute(),
    scoreOf(deps.db, run?.run_id ?? '', id).executeTakeFirst(),
  ]);
  if (!person) return refuse('no such person in the TFD', SEES_EVERYONE.has(caller.role) ? notices.noSuchPerson(id) : notices.notAvailable(id), run?.run_id ?? null);

  const onList = score && score.on_list === 1 ? ((score.list ?? 'children') as 'children' | 'over_18') : null;
  const decision = decideProfileAccess(caller, {
    involvements: involvements.map((i) => ({ workerId: i.worker_id, agency: i.agency, role: i.role, startDate: i.start_date ? isoDay(i.start_date) : null })),
    schoolIds: enrolments.map((e) => e.school_id),
    onList,
    areaId: person.area_id,
  });
  if (!decision.allowed) return refuse(decision.basis, notices.notAvailable(id), run?.run_id ?? null);

  const sections = new Set(decision.sections);
  // An adult's score exists only because they are on "CSE Risk – Subjects Over 18". For anyone
  // else that adult reads exactly like any unscored adult: no score, no hint that something is withheld.
  const visibleScore = score && (score.list !== 'over_18' || sections.has('over_18')) ? score : undefined;
  const [topaz, change, model] = await Promise.all([
    sections.has('topaz') ? activeTopazMarkersOf(deps.db, id, day).execute() : Promise.resolve([]),
    run && visibleScore ? changeOf(deps.db, run.run_id, id).executeTakeFirst() : Promise.resolve(undefined),
    run?.model_id ? modelById(deps.db, run.model_id).executeTakeFirst() : Promise.resolve(undefined),
  ]);

  const rule = listRuleOf(run);
  const reasons = visibleScore && sections.has('reasons') ? reasonsForReader(caller.role, parseReasonItems(visibleScore.reason_items)) : null;
  const agencies = sections.has('agencies')
    ? involvements.map((i) => {
        const line = involvementForReader(caller.role, { agency: i.agency, role: i.role ?? '', worker: i.display_name ?? i.worker_id ?? 'not recorded' });
        return { agency: plainText(codeWords(line.agency)), role: plainText(codeWords(line.role)), worker: plainText(line.worker), since: line.neutralised ? '' : isoDay(i.start_date), neutralised: line.neutralised };
      })
    : [];
  const view: ProfileView = {
    personId: id,
    // Age on the run's data date, so the band agrees with the scores beside it.
    ageBand: ageBand(person.date_of_birth ? ageOnIso(isoDay(person.date_of_birth), run ? isoDay(run.as_of) : day) : null),
    school: plainText(enrolments.map((e) => e.school_name ?? e.school_id).join(', ')) || 'no current school',
    area: plainText(person.area_name ?? person.area_id) || 'area unknown',
    headline: headline(visibleScore, run, rule),
    indicators: [...scoreLines(visibleScore, change, sections, horizonOf(model?.metrics), rule, seesPoliceOnly(caller.role)), ...topaz.map((m) => ({ indicator: `Op Topaz marker: ${plainText(m.marker)}`, date: isoDay(m.start_date), value: 'active', notes: plainText(m.note) }))],
    reasons: reasons?.lines ?? [],
    agencies: agencies.map(({ neutralised: _n, ...a }) => a),
    run: run ? runStamp(run, model) : null,
    viewer: `${plainText(caller.displayName)} (${ROLE_LABELS[caller.role]})`,
  };
  const shown = `${shownSummary(caller, visibleScore, reasons, agencies.filter((a) => a.neutralised).length, agencies.length, topaz.length)}; ${audienceOf(requester)}`;
  await appendAccessAudit(
    deps.db,
    [{ actor: actorOf(requester, caller), action: 'profile', personId: id, outcome: 'allowed', basis: decision.basis, shown, runId: run?.run_id ?? null, channel: requester.channel }],
    deps.now(),
  );
  return { kind: 'profile', view };
}

function headline(score: RunScoreRow | undefined, run: RunRow | undefined, rule: 'model' | 'bands'): string {
  if (!run) return 'No scoring run has been published yet.';
  if (!score) return 'No CSE score in the current run: the model scores children.';
  if (score.list === 'over_18') return score.on_list ? 'Listed under “CSE Risk – Subjects Over 18”: people at risk appear in their network. This is not a finding of any wrongdoing.' : 'Not listed.';
  if (rule === 'model') {
    const chance = `score ${scoreText(score.final_score)}: the chance in 100 of acceptance by the exploitation service`;
    if (score.on_list) return `On the meeting’s list (${chance}).`;
    if (score.band === 'medium') return `In the watch band: for lead professionals, not on the meeting’s list (${chance}).`;
    return `Not on the meeting’s list (${chance}).`;
  }
  if (score.on_list) return `On the weekly list: ${score.band} risk band (score ${scoreText(score.final_score)} of 100).`;
  return `Not on the weekly list (score ${scoreText(score.final_score)} of 100, ${score.band} band).`;
}

const CHANGE_WORDS: Record<string, string> = { joined_list: 'joined the list', left_list: 'left the list', band_up: 'moved up a band', band_down: 'moved down a band' };

/** The horizon of the run's calibrated probability, from its model's stored metrics. */
function horizonOf(metrics: string | undefined): number | null {
  if (!metrics) return null;
  const parsed = JSON.parse(metrics) as { calibration?: { horizonDays?: number } | null };
  return parsed.calibration?.horizonDays ?? null;
}

/** How the run made its list: `model` (the calibrated chance decides) or `bands` (Bristol's max of predictive and index). */
function listRuleOf(run: RunRow | undefined): 'model' | 'bands' {
  if (!run?.summary) return 'bands';
  const parsed = JSON.parse(run.summary) as { list?: { rule?: string } };
  return parsed.list?.rule === 'model' ? 'model' : 'bands';
}

const horizonWords = (days: number) => (days === 365 ? 'a year' : `${days} days`);

function scoreLines(
  score: RunScoreRow | undefined,
  change: { change: string; previous_band: string | null; band: string | null } | undefined,
  sections: ReadonlySet<ProfileSection>,
  horizonDays: number | null,
  rule: 'model' | 'bands',
  police: boolean,
): IndicatorLine[] {
  if (!score || !sections.has('scores')) return [];
  const date = isoDay(score.as_of);
  if (score.list === 'over_18') {
    return [{ indicator: 'CSE Risk – Subjects Over 18', date, value: scoreText(score.final_score), notes: score.on_list ? 'listed in this run; listing does not mean wrongdoing' : 'not listed' }];
  }
  const placement = rule === 'model' ? (score.on_list ? 'on the meeting’s list' : score.band === 'medium' ? 'watch band' : `${score.band} band`) : `${score.band} band${score.on_list ? ', on the weekly list' : ''}`;
  const lines: IndicatorLine[] = [
    { indicator: 'CSE risk', date, value: scoreText(score.final_score), notes: `${placement}; ${rule === 'model' ? 'the chance in 100 below, as the partnership’s list rule reads it' : 'the higher of the two scores below'}` },
  ];
  // Under the model's list rule the list reads the chance; the predictive score (a rank against accepted children,
  // often 100 for a child whose chance is 39 in 100) would read as contradicting it, so it is not shown.
  if (rule === 'bands') lines.push({ indicator: 'CSE predictive score', date, value: scoreText(score.predictive_score), notes: 'similarity to children accepted onto the exploitation service, at their start of service' });
  // The index's points come mostly from police-only rules (Topaz, CSE-tagged records): for anyone else the number alone would say which fired.
  if (police || rule === 'bands') lines.push({ indicator: 'CSE index score', date, value: scoreText(score.index_score), notes: rule === 'model' ? 'analysts’ derived index (published rules); evidence beside the model, not an override' : 'analysts’ derived index (published rules)' });
  if (score.probability !== null && score.probability !== undefined && horizonDays !== null) {
    const inHundred = Math.round(100 * score.probability);
    lines.push({
      indicator: `Chance of acceptance within ${horizonWords(horizonDays)}`,
      date,
      value: inHundred < 1 ? 'under 1 in 100' : `about ${inHundred} in 100`,
      notes: `${chanceSentence(inHundred, horizonWords(horizonDays))} Calibrated on the cohort; checked on the model card.${rule === 'bands' ? ' Not the scores above, which place a child among others (0–100) and decide the list.' : ''}`,
    });
  }
  if (score.network_score !== null) lines.push({ indicator: 'CSE network risk', date, value: scoreText(score.network_score), notes: 'associates carrying risk: how many, how much, how close' });
  lines.push({ indicator: 'Missing person risk (MPRsk)', date, value: score.missing_person_risk === null ? '—' : `${Math.round(score.missing_person_risk)}%`, notes: score.missing_person_risk === null ? 'no recent missing episode' : 'chance of going missing again' });
  lines.push({ indicator: 'Conduct disorder risk', date, value: score.conduct_disorder_risk ? 'yes' : 'no', notes: `${score.conduct_flags} conduct record(s)` });
  if (change) lines.push({ indicator: 'Change since the last run', date, value: CHANGE_WORDS[change.change] ?? change.change, notes: change.previous_band ? `was ${change.previous_band}` : '' });
  return lines;
}

/** Exactly what the reader was shown, for the audit: which reasons by code, and what was neutralised or left out. */
function shownSummary(caller: Caller, score: RunScoreRow | undefined, reasons: ReturnType<typeof reasonsForReader> | null, neutralisedAgencies: number, agencies: number, topazMarkers: number): string {
  const parts = ['header (id, age band, school, area)'];
  if (score) parts.push(`scores (final ${scoreText(score.final_score)}, band ${score.band}${score.list === 'over_18' ? ', over-18 list' : ''})`);
  if (reasons) parts.push(`reasons [${reasons.shownCodes.join(', ')}]${reasons.policeHoldMore ? ' + "police hold further information" line' : ''}`);
  if (agencies) parts.push(`agencies (${agencies}${neutralisedAgencies ? `, ${neutralisedAgencies} police involvement(s) without role or name` : ''})`);
  if (topazMarkers) parts.push(`Topaz markers (${topazMarkers})`);
  parts.push(`as ${caller.role}`);
  return parts.join('; ');
}
