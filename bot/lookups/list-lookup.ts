import { appendAccessAudit, type AuditEntry } from '../../db/repositories/access-audit.js';
import { caseload, openInvolvements } from '../../db/repositories/person-records.js';
import { listOfRun, pupilsOnList } from '../../db/repositories/run-scores.js';
import { runModel, type PublishedRun } from '../../db/repositories/runs.js';
import { currentRun } from '../../reports/current-run.js';
import type { ListRow, ListSection, ListView } from '../../cards/views.js';
import { coversArea, listViewFor } from '../../domain/access-policy.js';
import { areasOf } from '../../db/repositories/person-areas.js';
import { ROLE_LABELS, type Caller } from '../../domain/roles.js';
import { actorOf, audienceOf, isPrivateChat, placeOf, scoreText, sharedChatBasis, today, unknownCallerBasis, type LookupDeps, type Requester } from './lookup-deps.js';
import { notices, type Notice } from './notices.js';
import { resolveCaller } from './resolve-caller.js';
import { runStamp } from './run-stamp.js';
import { ageBand } from '../../domain/ages.js';
import { plainText } from '../../cards/plain-text.js';
import { codeWords } from '../../cards/code-words.js';

export type ListOutcome = { readonly kind: 'list'; readonly view: ListView } | { readonly kind: 'notice'; readonly notice: Notice };

/** Rows per section on a card: keeps the largest list well under Teams' 100 KB message limit. */
export const ROWS_PER_SECTION = 40;

/** Batches for `in (…)` lists: under SQL Server's 2,100 parameters with room to spare. */
const IN_BATCH = 1_000;

interface Shown {
  readonly section: string;
  readonly rows: { personId: string; row: ListRow }[];
  readonly basis: string;
  /** Said once under the section's title. */
  readonly note?: string;
}

/**
 * `list`: the caller's own view. A caseworker their open cases with scores;
 * a school safeguarding lead their pupils on the list with the agencies
 * involved; a chair the list the meeting reviews; officers and analysts the
 * weekly list and "CSE Risk – Subjects Over 18". Every person shown is
 * recorded in the audit before the card is returned.
 */
export async function consultList(deps: LookupDeps, requester: Requester): Promise<ListOutcome> {
  const caller = await resolveCaller(deps.db, requester.aadObjectId);
  const actor = actorOf(requester, caller);
  const audit = (entries: Omit<AuditEntry, 'actor' | 'action' | 'channel'>[]) =>
    appendAccessAudit(deps.db, entries.map((e) => ({ ...e, actor, action: 'list', channel: requester.channel })), deps.now());

  if (!caller) {
    await audit([{ personId: null, outcome: 'refused', basis: unknownCallerBasis(requester), shown: '', runId: null }]);
    return { kind: 'notice', notice: notices.unknownCaller(requester.aadObjectId) };
  }
  // A list is the caller's own (their caseload, their meeting's list): in a group chat or channel every member would read it.
  if (!isPrivateChat(requester)) {
    await audit([{ personId: null, outcome: 'refused', basis: sharedChatBasis('list', requester), shown: '', runId: null }]);
    return { kind: 'notice', notice: notices.onlyInPersonalChat('list', placeOf(requester)) };
  }
  const view = listViewFor(caller);
  const run = await currentRun(deps.db);
  const runId = run?.runId ?? null;
  if (view === 'none') {
    await audit([{ personId: null, outcome: 'refused', basis: `${ROLE_LABELS[caller.role]} ${caller.workerId}: no list for this role`, shown: '', runId }]);
    return { kind: 'notice', notice: notices.noList(caller) };
  }

  const shown = await sectionsFor(deps, caller, view, run);
  const sections: ListSection[] = shown.map((s) => ({
    title: s.section,
    caption: `${s.rows.length === 0 ? 'Nobody to show.' : `${s.rows.length} ${s.rows.length === 1 ? 'person' : 'people'}${s.rows.length > ROWS_PER_SECTION ? `, highest score first; the first ${ROWS_PER_SECTION} are shown` : ''}.`}${s.note ? ` ${s.note}` : ''}`,
    rows: s.rows.slice(0, ROWS_PER_SECTION).map((r) => r.row),
    more: Math.max(0, s.rows.length - ROWS_PER_SECTION),
  }));
  const entries: Omit<AuditEntry, 'actor' | 'action' | 'channel'>[] = shown.flatMap((s) =>
    s.rows.slice(0, ROWS_PER_SECTION).map((r) => ({ personId: r.personId, outcome: 'allowed' as const, basis: s.basis, shown: `${s.section}: score ${r.row.score}, ${r.row.band}; ${audienceOf(requester)}`, runId })),
  );
  if (entries.length === 0) entries.push({ personId: null, outcome: 'allowed', basis: `${ROLE_LABELS[caller.role]} ${caller.workerId}: own ${view} list`, shown: `an empty list; ${audienceOf(requester)}`, runId });
  await audit(entries);

  const model = run?.modelId ? await runModel(deps.db, run.modelId) : undefined;
  return {
    kind: 'list',
    view: { title: TITLES[view], sections, run: run ? runStamp(run, model) : null, viewer: `${plainText(caller.displayName)} (${ROLE_LABELS[caller.role]})` },
  };
}

const TITLES = { caseload: 'Your caseload', school: 'Your pupils on the weekly list', weekly: 'Weekly lists', meeting: 'The list your meeting reviews' } as const;

async function sectionsFor(deps: LookupDeps, caller: Caller, view: Exclude<ReturnType<typeof listViewFor>, 'none'>, run: PublishedRun | undefined): Promise<Shown[]> {
  const who = `${ROLE_LABELS[caller.role]} ${caller.workerId}`;
  const day = today(deps);
  if (view === 'caseload') {
    const rows = await caseload(deps.db, caller.workerId, day, run?.runId ?? '');
    const byPerson = new Map<string, { personId: string; row: ListRow }>();
    for (const r of rows) {
      const seen = byPerson.get(r.personId);
      if (seen) continue;
      // An adult's score is an over-18 listing, which caseworkers do not see.
      const scored = r.finalScore !== null && r.list !== 'over_18';
      byPerson.set(r.personId, {
        personId: r.personId,
        row: {
          personId: r.personId,
          ageBand: ageBand(scored ? r.age : null),
          score: scored ? scoreText(r.finalScore) : '—',
          band: scored ? (r.band ?? '') : 'not scored',
          notes: [plainText(`${codeWords(r.agency)}${r.role ? ` (${codeWords(r.role)})` : ''}`), scored && r.onList ? 'on the weekly list' : ''].filter(Boolean).join('; '),
        },
      });
    }
    const ordered = [...byPerson.values()].sort((a, b) => rank(b.row.score) - rank(a.row.score) || (a.personId < b.personId ? -1 : 1));
    return [{ section: 'Open cases', rows: ordered, basis: `${who}: own open cases (open involvement)` }];
  }
  if (!run) return [{ section: view === 'school' ? 'Pupils on the list' : 'Weekly list', rows: [], basis: `${who}: no published run` }];
  if (view === 'school') {
    const pupils = await pupilsOnList(deps.db, caller.schoolId!, day, run.runId);
    const agencies = await agenciesOf(deps, pupils.map((p) => p.personId), day);
    return [
      {
        section: `Pupils at ${caller.schoolId} on the weekly list`,
        rows: pupils.map((p) => ({
          personId: p.personId,
          row: { personId: p.personId, ageBand: ageBand(p.age), score: scoreText(p.finalScore), band: p.band, notes: plainText(agencies.get(p.personId)?.join(', ')) || 'no other agency involved' },
        })),
        basis: `${who}: pupils enrolled at ${caller.schoolId} on the weekly list`,
      },
    ];
  }
  const children = await listOfRun(deps.db, run.runId, 'children');
  const childRows = children.map((c) => ({ personId: c.personId, row: { personId: c.personId, ageBand: ageBand(c.age), score: scoreText(c.finalScore), band: c.band, notes: '' } }));
  if (view === 'meeting') {
    // A chair's meeting reviews their own area's children (the access policy's area rule; force-wide chairs every area's).
    const areas = caller.areaId === null ? null : await areasOf(deps.db, childRows.map((r) => r.personId));
    const rows = areas ? childRows.filter((r) => coversArea(caller.areaId, areas.get(r.personId) ?? null)) : childRows;
    return [{ section: 'Weekly list (children)', rows, basis: `${who}: the weekly list the multi-agency meeting ${caller.areaId === null ? 'of every area' : `of area ${caller.areaId}`} reviews` }];
  }
  const adults = await listOfRun(deps.db, run.runId, 'over_18');
  return [
    { section: 'Weekly list (children)', rows: childRows, basis: `${who}: ${caller.role}s see the weekly lists` },
    {
      section: 'CSE Risk – Subjects Over 18',
      rows: adults.map((a) => ({ personId: a.personId, row: { personId: a.personId, ageBand: ageBand(a.age), score: scoreText(a.finalScore), band: a.band, notes: '' } })),
      note: 'Adults listed because people at risk of CSE appear in their network. Being listed is not a finding of any wrongdoing.',
      basis: `${who}: ${caller.role}s see CSE Risk – Subjects Over 18`,
    },
  ];
}

const rank = (s: string) => (s === '—' ? -1 : Number(s));

/** Agencies involved with each person today, excluding education (the school lead's own). */
async function agenciesOf(deps: LookupDeps, personIds: string[], day: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < personIds.length; i += IN_BATCH) {
    for (const r of await openInvolvements(deps.db, personIds.slice(i, i + IN_BATCH), day)) {
      if (r.agency === 'education') continue;
      const list = out.get(r.personId) ?? [];
      const label = codeWords(r.agency);
      if (!list.includes(label)) list.push(label);
      out.set(r.personId, list);
    }
  }
  return out;
}
