import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Queue } from 'bullmq';
import { runAlertFanout } from '../../worker/jobs/alert-jobs.js';
import type { AlertSender } from '../../domain/alert-delivery.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';

describe('a child the meeting closed is alerted again only if their risk rises further (fan-out on a real SQLite TFD)', () => {
  let dir: string;
  let f: BotFixture;
  let child: { person_id: string; band: string | null };
  // The fan-out only queues delivery jobs; what it decides is in the alert rows.
  const queue = { addBulk: async () => [] } as unknown as Queue;
  const sender: AlertSender = { send: async () => ({ activityId: 'x' }) };
  const fanout = () => runAlertFanout({ data: { runId: f.runId }, id: 'fanout' } as Job, { db: f.db.db, queue, sender });
  // Risk-emerged alerts (a school lead's weekly digest of pupils on the list is not one, and is not affected).
  const alertsAbout = async (personId: string) =>
    await f.db.db.selectFrom('alert').select(['worker_id', 'closed_on']).where('run_id', '=', f.runId).where('person_id', '=', personId).where('change', '!=', 'on_list').execute();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-closure-'));
    f = await botFixture(dir);
    // A child who joined the list in the fixture's (first) run.
    child = await f.db.db.selectFrom('run_score').select(['person_id', 'band']).where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').executeTakeFirstOrThrow();
    await f.db.db.insertInto('agency_involvement').values({ person_id: child.person_id, agency: 'social_care', worker_id: f.caseworker.workerId, role: 'allocated social worker', start_date: null, end_date: null }).execute();
    await f.db.db.insertInto('meeting').values({ meeting_id: 'meeting-2020-01-06', meeting_date: '2020-01-06', run_id: 'run-old', previous_meeting_id: null, chair_worker_id: f.chair.workerId, conversation_id: '19:c', header_activity_id: null, status: 'closed', created_by: f.chair.workerId, created_at: '2020-01-06T09:00:00' }).execute();
  }, 240_000);
  afterAll(async () => {
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const closeAt = async (band: string) => {
    await f.db.db.deleteFrom('meeting_item').execute();
    await f.db.db.deleteFrom('alert').execute();
    await f.db.db
      .insertInto('meeting_item')
      .values({ item_id: `meeting-2020-01-06|${child.person_id}`, meeting_id: 'meeting-2020-01-06', person_id: child.person_id, section: 'new', position: 0, version: 2, rag: 'green', decision: 'close', outcome: null, lead_agency: null, next_review: null, notes: null, recorded_by: f.chair.workerId, recorded_at: '2020-01-06T10:00:00', activity_id: null, detail: JSON.stringify({ band }) })
      .execute();
  };

  it('closed at the band they have now: no alert', async () => {
    await closeAt(child.band ?? 'high');
    await fanout();
    expect(await alertsAbout(child.person_id)).toEqual([]);
  });

  it('closed at a lower band: alerted, and the alert says when the meeting closed them', async () => {
    await closeAt('none');
    await fanout();
    const alerts = await alertsAbout(child.person_id);
    expect(alerts.map((a) => a.worker_id)).toContain(f.caseworker.workerId);
    expect(alerts[0].closed_on).toBe('2020-01-06');
  });
});
