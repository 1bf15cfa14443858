import { describe, expect, it } from 'vitest';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import { alertForReader } from '../../domain/access-policy.js';
import type { Involvement, Standing } from '../../domain/alert.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { afterMeetingClosures, alertsForRun, emergingChildren, type EmergingChild } from '../../worker/alerts/emerging-risk.js';
import { schoolDigests } from '../../worker/alerts/school-digest.js';

const open: ReasonItem = { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-06-01', source: 'police', audience: 'everyone' };
const secret: ReasonItem = { code: 'index:topaz_victim', kind: 'because', text: 'they are monitored by Op Topaz', evidenceDate: '2025-05-01', source: 'topaz', audience: 'police' };
const child = (personId: string, newReasons: ReasonItem[] = []): EmergingChild => ({ personId, change: 'joined_list', previousBand: 'none', band: 'high', newReasons });
const involved = (personId: string, workerId: string, staffRole: string, agency = 'social_care', involvementRole = 'allocated social worker'): Involvement => ({ personId, agency, involvementRole, workerId, displayName: `Name ${workerId}`, staffRole });
const subject = (involvements: Involvement[]) => ({ probability: 0.123, reasonItems: [open, secret], involvements });

describe('emergingChildren', () => {
  const at = (personId: string, band: string, onList: boolean, reasonItems: ReasonItem[] | null = [open]): Standing => ({ personId, band, onList, reasonItems });
  const before = (...s: Standing[]) => ({ asOf: '2025-07-01', standings: new Map(s.map((x) => [x.personId, x])) });
  const gang: ReasonItem = { code: 'index:gang_association', kind: 'because', text: 'they are linked to a gang', evidenceDate: '2025-03-01', source: 'police', audience: 'everyone' };
  const modelOld: ReasonItem = { code: 'feature:neet', kind: 'because', text: 'they are not in education', evidenceDate: '2025-02-01', source: 'education', audience: 'everyone' };
  const modelNew: ReasonItem = { ...modelOld, code: 'feature:exclusion_fixed', evidenceDate: '2025-07-20' };

  it('alerts a child who crossed onto the list or into the watch band, or gained a new risk there; nothing else', () => {
    const now = [at('LIST', 'high', true), at('WATCH', 'medium', false), at('REASON', 'high', true, [open, gang]), at('SAME', 'high', true), at('DOWN', 'medium', false)];
    const out = emergingChildren(now, before(at('LIST', 'medium', false), at('WATCH', 'low', false), at('REASON', 'high', true), at('SAME', 'high', true), at('DOWN', 'high', true)));
    expect(out.map((c) => [c.personId, c.change, c.previousBand, c.band, c.newReasons.map((r) => r.code)])).toEqual([
      ['LIST', 'joined_list', 'medium', 'high', []],
      ['REASON', 'new_reason', 'high', 'high', ['index:gang_association']],
      ['WATCH', 'entered_watch', 'low', 'medium', []],
    ]);
  });

  it('a retrain alone alerts nobody: a model reason resting on a record the run before already had is a new ranking, not a new risk', () => {
    const now = [at('A', 'high', true, [open, modelOld]), at('B', 'medium', false, [modelOld]), at('C', 'high', true, [open, modelNew])];
    const out = emergingChildren(now, before(at('A', 'high', true), at('B', 'medium', false), at('C', 'high', true)));
    // Only C: its new model reason rests on a record dated after the run before.
    expect(out.map((c) => [c.personId, c.change, c.newReasons.map((r) => r.code)])).toEqual([['C', 'new_reason', ['feature:exclusion_fixed']]]);
  });

  it('the first published run: every child on the list or in the watch band has crossed into it', () => {
    expect(emergingChildren([at('X', 'high', true), at('Y', 'medium', false)], null).map((c) => c.change)).toEqual(['joined_list', 'entered_watch']);
  });
});

describe('alertsForRun', () => {
  const involvements = [
    involved('X', 'W1', 'caseworker'),
    involved('X', 'O1', 'officer', 'police', 'Topaz officer'),
    involved('X', 'S1', 'school_safeguarding_lead', 'education', 'DSL'),
    involved('Z', 'W1', 'caseworker'),
    involved('Z', 'W1', 'caseworker', 'early_help', 'key worker'),
    involved('P', 'W1', 'caseworker'),
    involved('P', 'O1', 'officer', 'police', 'Topaz officer'),
  ];
  // P gained only a police-only reason: a partner told of it would learn that police hold something new.
  const out = alertsForRun('run-1', [child('X'), child('Y'), child('Z'), { ...child('P', [secret]), change: 'new_reason' }], involvements);

  it('tells each involved member of staff about their own children only, once each, and no partner about a new police-only reason', () => {
    expect(out.map((r) => [r.workerId, r.alerts.map((a) => [a.alertId, a.change])])).toEqual([
      ['O1', [['run-1|O1|X', 'joined_list'], ['run-1|O1|P', 'new_reason']]],
      ['W1', [['run-1|W1|X', 'joined_list'], ['run-1|W1|Z', 'joined_list']]],
    ]);
    // Nobody is involved with Y; a school lead is not alerted (their pupils come in a weekly digest).
    expect(out.find((r) => r.workerId === 'S1')).toBeUndefined();
    expect(out.find((r) => r.workerId === 'O1')!.alerts[1].newReasonCodes).toEqual(['index:topaz_victim']);
  });

  it('stores facts only: what each reader sees is rendered for their role when shown', () => {
    const facts = out.find((r) => r.workerId === 'W1')!.alerts[0];
    expect(Object.keys(facts).sort()).toEqual(['alertId', 'band', 'change', 'closedOn', 'newReasonCodes', 'personId', 'previousBand', 'runId', 'workerId']);
    const partner = alertForReader('caseworker', facts, subject(involvements.filter((i) => i.personId === 'X')));
    expect(partner.reasonLines).toEqual(['They have been reported missing 3 times in the last 12 months (latest record 2025-06-01).', POLICE_HOLD_MORE]);
    expect(partner.shownCodes).toEqual(['feature:missing_episode']);
    expect(partner.agencies).toEqual(['social_care (allocated social worker): Name W1', 'police: through the exploitation team', 'education (DSL): Name S1']);
    const police = alertForReader('officer', facts, subject(involvements.filter((i) => i.personId === 'X')));
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
    const [W1] = alertsForRun('run-1', kept, [involved('ROSE', 'W1', 'caseworker')]);
    expect(W1.alerts[0].closedOn).toBe('2026-11-16');
  });
});

describe('schoolDigests', () => {
  const pupil = (personId: string, schoolId: string) => ({ personId, schoolId, band: 'high' });
  const out = schoolDigests('run-1', [pupil('X', 'SCH-A'), pupil('Y', 'SCH-B'), pupil('Z', 'SCH-A')], [
    { workerId: 'S1', schoolId: 'SCH-A' },
    { workerId: 'S2', schoolId: 'SCH-B' },
    { workerId: 'S3', schoolId: 'SCH-C' },
  ]);
  it('gives each school safeguarding lead their own pupils on the list, never another school’s', () => {
    expect(out.map((d) => [d.workerId, d.alerts.map((a) => a.personId)])).toEqual([
      ['S1', ['X', 'Z']],
      ['S2', ['Y']],
    ]);
  });
  it('with what a school lead may see when shown: no police-only reasons, police involvement neutralised', () => {
    const x = alertForReader('school_safeguarding_lead', out[0].alerts[0], subject([involved('X', 'O1', 'officer', 'police', 'Topaz officer'), involved('X', 'W1', 'caseworker')]));
    expect(x.change).toBe('on_list');
    expect(x.shownCodes).toEqual(['feature:missing_episode']);
    expect(x.reasonLines).toContain(POLICE_HOLD_MORE);
    expect(x.agencies).toEqual(['police: through the exploitation team', 'social_care (allocated social worker): Name W1']);
  });
});
