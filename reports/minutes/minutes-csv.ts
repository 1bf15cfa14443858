import { spreadsheetLine } from '../../domain/csv-field.js';
import type { MinutesView } from './minutes-view.js';

export const MINUTES_CSV_HEADER = ['record', 'meeting_id', 'meeting_date', 'chair', 'agency', 'name', 'number', 'person_id', 'section', 'band', 'rag', 'decision', 'outcome', 'lead_agency', 'next_review', 'notes', 'recorded_by', 'recorded_at', 'action', 'action_owner', 'action_due', 'action_status'] as const;

/**
 * The minutes as one CSV table (safe to open in a spreadsheet): a `meeting`
 * row with the confidentiality statement, `present` and `apologies` rows by
 * agency, an `item` row per child and an `action` row per action.
 */
export function minutesCsv(view: MinutesView): string {
  const base = [view.meetingId, view.meetingDate, view.chair];
  const row = (record: string, cells: Partial<Record<(typeof MINUTES_CSV_HEADER)[number], string | number | null>>) => spreadsheetLine([record, ...base, ...MINUTES_CSV_HEADER.slice(4).map((k) => cells[k] ?? null)]);
  const lines = [
    MINUTES_CSV_HEADER.join(','),
    row('meeting', { notes: `${view.status}. ${view.confidentiality}` }),
    ...view.attendeesByAgency.flatMap((a) => a.names.map((name) => row('present', { agency: a.agency, name }))),
    ...view.apologies.map((name) => row('apologies', { name })),
    ...view.items.flatMap((i) => {
      const item = { number: i.number, person_id: i.personId, section: i.section, band: i.band, rag: i.rag, decision: i.decision, outcome: i.outcome, lead_agency: i.leadAgency, next_review: i.nextReview, notes: i.notes, recorded_by: i.recordedBy, recorded_at: i.recordedAt };
      return [row('item', item), ...i.actions.map((a) => row('action', { number: i.number, person_id: i.personId, action: a.description, action_owner: a.owner, action_due: a.due, action_status: a.status }))];
    }),
  ];
  return `${lines.join('\n')}\n`;
}
