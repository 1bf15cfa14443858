import { describe, expect, it } from 'vitest';
import { assembleAgenda, type LastDecision, type ScoredChild } from '../../domain/meeting-agenda.js';
import { agendaDueOn, type Decision } from '../../domain/meeting.js';

const child = (personId: string, band: string, onList: boolean, probability: number | null = 0.2): ScoredChild => ({ personId, band, finalScore: 50, probability, onList, reasonItems: [] });
const last = (decision: Decision | null, band: string): LastDecision => ({ meetingId: 'meeting-2026-11-16', meetingDate: '2026-11-16', decision, rag: 'amber', leadAgency: 'social_care', band, openActions: [] });

describe('the meeting agenda (pure)', () => {
  it('sorts children into new, escalated, continuing and proposed for closure from the last meeting’s decisions', () => {
    const agenda = assembleAgenda({
      children: [
        child('NEW', 'medium', true, 0.1),
        child('UP', 'high', true),
        child('SAME', 'medium', true),
        child('GONE', 'low', false),
        child('BACK', 'medium', true),
        child('CLOSED_OFF', 'low', false),
        child('UNDECIDED', 'medium', true),
      ],
      previous: new Map([
        ['UP', last('remain', 'medium')],
        ['SAME', last('refer', 'medium')],
        ['GONE', last('add', 'medium')],
        ['BACK', last('nfa', 'high')],
        ['CLOSED_OFF', last('close', 'medium')],
        ['UNDECIDED', last(null, 'medium')],
      ]),
      requests: [],
      trends: new Map(),
      involvements: new Map(),
    });
    expect(agenda.map((i) => [i.personId, i.section])).toEqual([
      ['BACK', 'new'],
      ['NEW', 'new'],
      ['UP', 'escalated'],
      ['SAME', 'continuing'],
      ['UNDECIDED', 'continuing'],
      ['GONE', 'closure_proposed'],
    ]);
    // A child the meeting closed who is off the list does not come back.
    expect(agenda.some((i) => i.personId === 'CLOSED_OFF')).toBe(false);
    expect(agenda.find((i) => i.personId === 'UP')!.lastDecision?.decision).toBe('remain');
  });

  it('puts a child a lead professional asked about on the agenda as new, with who asked', () => {
    const agenda = assembleAgenda({
      children: [child('ASKED', 'low', false, 0.02), child('LISTED', 'high', true)],
      previous: new Map(),
      requests: [{ personId: 'ASKED', by: 'Sam Green', at: '2026-12-01T10:00:00' }, { personId: 'LISTED', by: 'Ann Lee', at: '2026-12-02T10:00:00' }],
      trends: new Map(),
      involvements: new Map(),
    });
    expect(agenda.map((i) => [i.personId, i.section, i.requestedBy.map((r) => r.by)])).toEqual([
      ['LISTED', 'new', ['Ann Lee']],
      ['ASKED', 'new', ['Sam Green']],
    ]);
    expect(agenda.find((i) => i.personId === 'ASKED')!.chanceIn100).toBe(2);
  });

  it('draws the agenda on schedule: the configured days before each meeting of the cadence, never otherwise', () => {
    const fourWeekly = { firstDate: '2026-01-12', everyDays: 28, daysBefore: 3 };
    expect(agendaDueOn(fourWeekly, '2026-01-09')).toBe('2026-01-12');
    expect(agendaDueOn(fourWeekly, '2026-02-06')).toBe('2026-02-09');
    expect(agendaDueOn(fourWeekly, '2026-02-07')).toBeNull();
    expect(agendaDueOn(fourWeekly, '2025-12-12')).toBeNull();
    // Across a clock change and a year end.
    expect(agendaDueOn(fourWeekly, '2026-03-06')).toBe('2026-03-09');
    expect(agendaDueOn({ firstDate: '2026-12-21', everyDays: 14, daysBefore: 0 }, '2027-01-04')).toBe('2027-01-04');
  });
});
