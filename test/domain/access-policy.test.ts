import { describe, expect, it } from 'vitest';
import { decideProfileAccess, listViewFor, type SubjectLinks } from '../../domain/access-policy.js';
import { aadSpellings, parsePersonId } from '../../domain/person-id.js';
import type { Caller, StaffRole } from '../../domain/roles.js';
import { ageBand, ageOnIso, completedYears, isChildOn } from '../../domain/ages.js';
import { dayOf } from '../../domain/days.js';
import { involvementForReader, reasonsForReader } from '../../domain/access-policy.js';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { STAFF_ROLES } from '../../domain/roles.js';

const caller = (role: StaffRole, extra: Partial<Caller> = {}): Caller => ({ aadObjectId: 'aad', workerId: 'W1', displayName: 'Sam Smith', role, agency: null, schoolId: null, areaId: null, ...extra });
const links = (extra: Partial<SubjectLinks> = {}): SubjectLinks => ({ involvements: [], schoolIds: [], onList: null, areaId: 'A1', ...extra });

describe('decideProfileAccess', () => {
  it('lets officers and analysts see everyone, with police-only sections', () => {
    for (const role of ['officer', 'analyst'] as const) {
      const d = decideProfileAccess(caller(role), links());
      expect(d.allowed).toBe(true);
      if (d.allowed) expect(d.sections).toEqual(expect.arrayContaining(['topaz', 'over_18']));
    }
  });

  it('lets a caseworker see only people they have an open involvement with, and says which', () => {
    const mine = links({ involvements: [{ workerId: 'W2', agency: 'health', role: null, startDate: null }, { workerId: 'W1', agency: 'social_care', role: 'allocated social worker', startDate: '2025-02-01' }] });
    const d = decideProfileAccess(caller('caseworker'), mine);
    expect(d).toMatchObject({ allowed: true, basis: 'caseworker W1 has an open social_care involvement with this person since 2025-02-01 (allocated social worker)' });
    if (d.allowed) expect(d.sections).not.toContain('topaz');
    expect(decideProfileAccess(caller('caseworker'), links({ involvements: [{ workerId: 'W2', agency: 'health', role: null, startDate: null }] })).allowed).toBe(false);
  });

  it('lets a school lead see pupils of their own school only', () => {
    const lead = caller('school_safeguarding_lead', { schoolId: 'S1' });
    expect(decideProfileAccess(lead, links({ schoolIds: ['S1'] })).allowed).toBe(true);
    expect(decideProfileAccess(lead, links({ schoolIds: ['S2'] })).allowed).toBe(false);
    expect(decideProfileAccess(caller('school_safeguarding_lead'), links({ schoolIds: ['S1'] })).allowed).toBe(false);
  });

  it('lets a chair see children on the list their meeting reviews, not adults on the over-18 list', () => {
    expect(decideProfileAccess(caller('chair'), links({ onList: 'children' })).allowed).toBe(true);
    expect(decideProfileAccess(caller('chair'), links({ onList: 'over_18' })).allowed).toBe(false);
    expect(decideProfileAccess(caller('chair'), links()).allowed).toBe(false);
  });

  it('keeps a chair to their own area’s children unless force-wide; own cases and pupils stay visible in any area', () => {
    const refused = decideProfileAccess(caller('chair', { areaId: 'A2' }), links({ onList: 'children', areaId: 'A1' }));
    expect(refused).toEqual({ allowed: false, basis: 'meeting chair W1 chairs the meeting of area A2: this child lives in area A1' });
    expect(decideProfileAccess(caller('chair', { areaId: 'A2' }), links({ onList: 'children', areaId: null })).allowed).toBe(false);
    expect(decideProfileAccess(caller('chair', { areaId: 'A2' }), links({ onList: 'children', areaId: 'A2' })).allowed).toBe(true);
    expect(decideProfileAccess(caller('chair', { areaId: null }), links({ onList: 'children', areaId: 'A1' })).allowed).toBe(true);
    expect(decideProfileAccess(caller('caseworker', { areaId: 'A2' }), links({ areaId: 'A1', involvements: [{ workerId: 'W1', agency: 'health', role: null, startDate: null }] })).allowed).toBe(true);
    expect(decideProfileAccess(caller('school_safeguarding_lead', { areaId: 'A2', schoolId: 'S1' }), links({ areaId: 'A1', schoolIds: ['S1'] })).allowed).toBe(true);
    expect(decideProfileAccess(caller('officer', { areaId: 'A2' }), links({ areaId: 'A1' })).allowed).toBe(true);
  });

  it('gives administrators no person-level access', () => {
    expect(decideProfileAccess(caller('admin'), links({ onList: 'children', involvements: [{ workerId: 'W1', agency: 'x', role: null, startDate: null }] })).allowed).toBe(false);
  });

  it('maps each role to its list', () => {
    expect(listViewFor(caller('caseworker'))).toBe('caseload');
    expect(listViewFor(caller('school_safeguarding_lead', { schoolId: 'S1' }))).toBe('school');
    expect(listViewFor(caller('school_safeguarding_lead'))).toBe('none');
    expect(listViewFor(caller('chair'))).toBe('meeting');
    expect(listViewFor(caller('officer'))).toBe('weekly');
    expect(listViewFor(caller('analyst'))).toBe('weekly');
    expect(listViewFor(caller('admin'))).toBe('none');
  });
});

describe('parsePersonId', () => {
  it('accepts opaque ids of letters, digits and light punctuation up to 64 characters', () => {
    for (const id of ['P00012345', 'abc-123_x.y', 'TFD:2024/77', 'X'.repeat(64)]) expect(parsePersonId(` ${id} `)).toEqual({ kind: 'id', id });
  });
  it('tells missing, malformed and hostile text apart', () => {
    expect(parsePersonId('  ')).toEqual({ kind: 'missing' });
    expect(parsePersonId('X'.repeat(65)).kind).toBe('malformed');
    expect(parsePersonId('-P1').kind).toBe('malformed');
    expect(parsePersonId('P1\u202Eevil').kind).toBe('malformed');
    for (const text of ["1' or '1'='1", 'P1;drop table person', '<img src=x>', '${$root}', 'P1 UNION SELECT *', '/* */', '=HYPERLINK("http://x.example","y")', '@SUM(1+1)']) expect(parsePersonId(text)).toEqual({ kind: 'suspicious' });
  });
  it('tries an Entra object id as given, lower and upper case', () => {
    expect(aadSpellings('AbC')).toEqual(['AbC', 'abc', 'ABC']);
    expect(aadSpellings('abc')).toEqual(['abc', 'ABC']);
  });
});

describe('the age rule', () => {
  it('counts completed years by the calendar, the same on ISO dates and day numbers', () => {
    expect(ageOnIso('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOnIso('2010-06-15', '2026-06-15')).toBe(16);
    expect(completedYears(dayOf('2010-06-15'), dayOf('2026-06-15'))).toBe(16);
  });
  it('makes a person an adult on their 18th birthday, not a few hours either side (365.25-day years disagreed)', () => {
    const birth = dayOf('2004-03-01');
    expect(isChildOn(birth, dayOf('2022-02-28'))).toBe(true);
    expect(isChildOn(birth, dayOf('2022-03-01'))).toBe(false);
    // Only four leap days in those 18 years: the old 365.25-day rule still counted the birthday as 17.
    expect(Math.floor((dayOf('2022-03-01') - birth) / 365.25)).toBe(17);
  });
  it('turns someone born on 29 February a year older on 1 March in common years', () => {
    expect(ageOnIso('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOnIso('2008-02-29', '2026-03-01')).toBe(18);
  });
  it('bands ages by completed years', () => {
    expect([9, 10, 12, 13, 15, 16, 17, 18, 24, 25, null].map(ageBand)).toEqual(['under 10', '10–12', '10–12', '13–15', '13–15', '16–17', '16–17', '18–24', '18–24', '25 and over', 'age unknown']);
    expect([12.9, 15.99, 17.5].map(ageBand)).toEqual(['10–12', '13–15', '16–17']);
  });
});

const item = (code: string, audience: ReasonItem['audience'], text = code): ReasonItem => ({ code, kind: 'because', text, evidenceDate: null, source: 'police', audience });

describe('reasonsForReader', () => {
  const items = [item('index:topaz_victim', 'police', 'they are monitored by Op Topaz'), item('feature:missing_episode', 'everyone', 'they have been reported missing')];
  it('shows police roles every reason', () => {
    for (const role of ['officer', 'analyst'] as const) {
      const r = reasonsForReader(role, items);
      expect(r.lines).toEqual(['They are monitored by Op Topaz.', 'They have been reported missing.']);
      expect(r.policeHoldMore).toBe(false);
    }
  });
  it('gives every other role the reasons for everyone and one neutral line, never a police-only reason', () => {
    for (const role of STAFF_ROLES.filter((r) => r !== 'officer' && r !== 'analyst')) {
      const r = reasonsForReader(role, items);
      expect(r.lines).toEqual(['They have been reported missing.', POLICE_HOLD_MORE]);
      expect(r.shownCodes).toEqual(['feature:missing_episode']);
      expect(r.lines.join(' ')).not.toMatch(/Topaz/);
    }
  });
  it('says the same neutral line whatever the police-only reason is', () => {
    const a = reasonsForReader('caseworker', [item('index:topaz_victim', 'police')]);
    const b = reasonsForReader('caseworker', [item('feature:cse_flagged_events_12m', 'police'), item('feature:gang_association', 'police')]);
    expect(a.lines).toEqual(b.lines);
  });
  it('dates each reason by the latest record it rests on', () => {
    const dated: ReasonItem = { ...item('feature:exclusion_fixed', 'everyone', 'they have been suspended from school'), evidenceDate: '2025-11-09' };
    expect(reasonsForReader('caseworker', [dated]).lines).toEqual(['They have been suspended from school (latest record 2025-11-09).']);
  });
  it('adds no line when nothing is withheld', () => {
    expect(reasonsForReader('chair', [item('feature:missing_episode', 'everyone')]).lines).toEqual(['Feature:missing_episode.']);
  });
});

describe('involvementForReader', () => {
  const topaz = { agency: 'police', role: 'Topaz officer', worker: 'PC Jones' };
  it('shows police roles the officer and their role', () => {
    expect(involvementForReader('officer', topaz)).toEqual({ ...topaz, neutralised: false });
  });
  it('shows partners a police involvement without role or name', () => {
    for (const role of ['caseworker', 'chair', 'school_safeguarding_lead'] as const) {
      const line = involvementForReader(role, topaz);
      expect(JSON.stringify(line)).not.toMatch(/Topaz|Jones/);
      expect(line.neutralised).toBe(true);
    }
    expect(involvementForReader('caseworker', { agency: 'social_care', role: 'social worker', worker: 'A B' }).neutralised).toBe(false);
  });
});
