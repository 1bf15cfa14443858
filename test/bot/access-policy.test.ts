import { describe, expect, it } from 'vitest';
import { decideProfileAccess, listViewFor, type SubjectLinks } from '../../bot/access/access-policy.js';
import { aadSpellings, parsePersonId } from '../../bot/access/person-id.js';
import type { Caller, StaffRole } from '../../bot/access/roles.js';
import { ageOn } from '../../bot/lookups/lookup-deps.js';
import { ageBand } from '../../worker/snapshot/ages.js';
import { reasonLines } from '../../bot/lookups/reason-lines.js';

const caller = (role: StaffRole, extra: Partial<Caller> = {}): Caller => ({ aadObjectId: 'aad', workerId: 'W1', displayName: 'Sam Smith', role, agency: null, schoolId: null, ...extra });
const links = (extra: Partial<SubjectLinks> = {}): SubjectLinks => ({ involvements: [], schoolIds: [], onList: null, ...extra });

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
    expect(parsePersonId('P1 P2').kind).toBe('malformed');
    expect(parsePersonId('-P1').kind).toBe('malformed');
    for (const text of ["1' or '1'='1", 'P1;drop table person', '<img src=x>', '${$root}', 'P1 UNION SELECT *', 'P1--', '/* */']) expect(parsePersonId(text)).toEqual({ kind: 'suspicious' });
  });
  it('tries an Entra object id as given, lower and upper case', () => {
    expect(aadSpellings('AbC')).toEqual(['AbC', 'abc', 'ABC']);
    expect(aadSpellings('abc')).toEqual(['abc', 'ABC']);
  });
});

describe('card helpers', () => {
  it('ages and age bands', () => {
    expect(ageOn('2010-06-15', '2026-06-14')).toBe(15);
    expect(ageOn('2010-06-15', '2026-06-15')).toBe(16);
    expect([9, 10, 12, 13, 15, 16, 17, 18, 24, 25, null].map(ageBand)).toEqual(['under 10', '10–12', '10–12', '13–15', '13–15', '16–17', '16–17', '18–24', '18–24', '25 and over', 'age unknown']);
    // The bias audit passes fractional ages: completed years decide the band.
    expect([12.9, 15.99, 17.5].map(ageBand)).toEqual(['10–12', '13–15', '16–17']);
  });
  it('splits stored reasons into one statement per line and drops the repeated disclaimer', () => {
    const stored =
      'This person was deemed at risk because they are monitored by Op Topaz; they have been reported missing 3 times in the last 90 days. This person has the following contextual risk factors relating to at least one member of their family - they are unemployed. This person shows some of the same characteristics as children who were exploited; this is decision support for a professional, not a finding.';
    expect(reasonLines(stored)).toEqual([
      'They are monitored by Op Topaz.',
      'They have been reported missing 3 times in the last 90 days.',
      'This person has the following contextual risk factors relating to at least one member of their family - they are unemployed.',
    ]);
  });
});
