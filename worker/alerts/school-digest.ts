import { alertIdOf, type AlertFacts, type PupilOnList } from '../../domain/alert.js';

/**
 * Each school safeguarding lead's digest: their own school's pupils on the
 * list, never another school's. What each pupil's line shows (the reasons a
 * school lead may see, police involvement neutralised) is decided when the
 * digest is shown, for the lead's role then.
 */
export function schoolDigests(runId: string, pupils: readonly PupilOnList[], leads: readonly { workerId: string; schoolId: string }[]): { workerId: string; alerts: AlertFacts[] }[] {
  return leads
    .map((lead) => ({
      workerId: lead.workerId,
      alerts: pupils
        .filter((p) => p.schoolId === lead.schoolId)
        .map((p): AlertFacts => ({ alertId: alertIdOf(runId, lead.workerId, p.personId), runId, workerId: lead.workerId, personId: p.personId, change: 'on_list', previousBand: null, band: p.band, newReasonCodes: [], closedOn: null })),
    }))
    .filter((d) => d.alerts.length > 0);
}
