import { describe, expect, it } from 'vitest';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { afterMeetingClosures, alertsForRun, type EmergingChild, type Involvement } from '../../worker/alerts/emerging-risk.js';
import { schoolDigests } from '../../worker/alerts/school-digest.js';

const open: ReasonItem = { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-06-01', source: 'police', audience: 'everyone' };
const secret: ReasonItem = { code: 'index:topaz_victim', kind: 'because', text: 'they are monitored by Op Topaz', evidenceDate: '2025-05-01', source: 'topaz', audience: 'police' };
const child = (personId: string, items: ReasonItem[] = [open, secret]): EmergingChild => ({ personId, change: 'joined_list', previousBand: 'none', band: 'high', probability: 0.123, reasonItems: items });
const involved = (personId: string, workerId: string, staffRole: string, agency = 'social_care', involvementRole = 'allocated social worker'): Involvement => ({ personId, agency, involvementRole, workerId, displayName: `Name ${workerId}`, staffRole });

describe('alertsForRun', () => {
  const involvements = [
    involved('X', 'W1', 'caseworker'),
    involved('X', 'O1', 'officer', 'police', 'Topaz officer'),
    involved('X', 'S1', 'school_safeguarding_lead', 'education', 'DSL'),
    involved('Z', 'W1', 'caseworker'),
    involved('Z', 'W1', 'caseworker', 'early_help', 'key worker'),
  ];
  const out = alertsForRun([child('X'), child('Y'), child('Z', [open])], involvements);
  const of = (workerId: string) => out.find((r) => r.workerId === workerId);

  it('tells each involved member of staff about their own children only, once each', () => {
    expect(out.map((r) => [r.workerId, r.items.map((i) => i.personId)])).toEqual([
      ['O1', ['X']],
      ['W1', ['X', 'Z']],
    ]);
    // Nobody is involved with Y; a school lead is not alerted (their pupils come in a weekly digest).
    expect(of('S1')).toBeUndefined();
  });

  it('shows each reader only the reasons and involvements their role may see', () => {
    const partner = of('W1')!.items[0];
    expect(partner.reasonLines.join(' ')).not.toMatch(/Topaz/);
    expect(partner.reasonLines).toContain(POLICE_HOLD_MORE);
    expect(partner.shownCodes).toEqual(['feature:missing_episode']);
    expect(partner.agencies.join(' ')).not.toMatch(/Topaz|Name O1/);
    expect(partner.agencies).toContain('police: through the exploitation team');
    const police = of('O1')!.items[0];
    expect(police.shownCodes).toEqual(['feature:missing_episode', 'index:topaz_victim']);
    expect(police.agencies).toContain('police (Topaz officer): Name O1');
    expect(police.chanceIn100).toBe(12);
  });
});

describe('afterMeetingClosures', () => {
  it('alerts about a child the meeting closed only if their band rose above where it stood at closure, saying when they were closed', () => {
    const closures = new Map([
      ['SAME', { personId: 'SAME', meetingDate: '2026-11-16', band: 'high' }],
      ['ROSE', { personId: 'ROSE', meetingDate: '2026-11-16', band: 'medium' }],
    ]);
    const kept = afterMeetingClosures([child('SAME'), child('ROSE'), child('NEVER')], closures);
    expect(kept.map((c) => [c.personId, c.closedOn ?? null])).toEqual([
      ['ROSE', '2026-11-16'],
      ['NEVER', null],
    ]);
    const [W1] = alertsForRun(kept, [involved('ROSE', 'W1', 'caseworker')]);
    expect(W1.items[0].closedOn).toBe('2026-11-16');
  });
});

describe('schoolDigests', () => {
  const pupil = (personId: string, schoolId: string) => ({ personId, schoolId, band: 'high', probability: 0.05, reasonItems: [open, secret] });
  const out = schoolDigests(
    [pupil('X', 'SCH-A'), pupil('Y', 'SCH-B'), pupil('Z', 'SCH-A')],
    [
      { workerId: 'S1', schoolId: 'SCH-A' },
      { workerId: 'S2', schoolId: 'SCH-B' },
      { workerId: 'S3', schoolId: 'SCH-C' },
    ],
    [involved('X', 'O1', 'officer', 'police', 'Topaz officer'), involved('X', 'W1', 'caseworker')],
  );
  it('gives each school safeguarding lead their own pupils on the list, never another school’s', () => {
    expect(out.map((d) => [d.workerId, d.items.map((i) => i.personId)])).toEqual([
      ['S1', ['X', 'Z']],
      ['S2', ['Y']],
    ]);
  });
  it('with what a school lead may see: no police-only reasons, police involvement neutralised', () => {
    const x = out[0].items[0];
    expect(x.change).toBe('on_list');
    expect(x.shownCodes).toEqual(['feature:missing_episode']);
    expect(x.reasonLines).toContain(POLICE_HOLD_MORE);
    expect(x.agencies).toEqual(['police: through the exploitation team', 'social_care (allocated social worker): Name W1']);
  });
});
