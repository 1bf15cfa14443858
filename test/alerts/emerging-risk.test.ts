import { describe, expect, it } from 'vitest';
import { POLICE_HOLD_MORE } from '../../domain/decision-support.js';
import type { ReasonItem } from '../../domain/reason-item.js';
import { alertsForRun, type EmergingChild, type Involvement } from '../../worker/alerts/emerging-risk.js';

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
