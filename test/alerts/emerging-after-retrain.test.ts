import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Queue } from 'bullmq';
import type { ReasonItem } from '../../domain/reason-item.js';
import { dayOf, isoOf } from '../../domain/days.js';
import { runAlertFanout } from '../../worker/jobs/alert-jobs.js';
import { scoreRun } from '../../worker/pipeline/score-run.js';
import type { AlertSender } from '../../domain/alert-delivery.js';
import { botFixture, type BotFixture } from '../helpers/bot-fixture.js';

const SCORE_COLUMNS = ['person_id', 'as_of', 'age', 'predictive_score', 'index_score', 'network_score', 'final_score', 'band', 'on_list', 'missing_person_risk', 'conduct_flags', 'conduct_disorder_risk', 'probability', 'reason_items', 'contributions', 'list'] as const;

describe('"emerging" after a retrain on meeting labels alone (fan-out on a real SQLite TFD)', () => {
  let dir: string;
  let f: BotFixture;
  // The fan-out only queues delivery jobs; what it decides is in its answer and the alert rows.
  const queue = { addBulk: async () => [] } as unknown as Queue;
  const sender: AlertSender = { send: async () => ({ activityId: 'x' }) };
  const fanout = (runId: string) => runAlertFanout({ data: { runId }, id: `fanout-${runId}` } as Job, { db: f.db.db, queue, sender });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tfd-emerging-'));
    f = await botFixture(dir);
    // The first run's alerts and school digests are out, as they are after any published run.
    await fanout(f.runId);
  }, 240_000);
  afterAll(async () => {
    await f?.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a second run on the same data, retrained on two meeting labels, alerts nobody', async () => {
    const d = f.db.db;
    const asOf = (await d.selectFrom('run').select('as_of').where('run_id', '=', f.runId).executeTakeFirstOrThrow()).as_of;
    const meetingDate = isoOf(dayOf(asOf) - 120);
    const [a, b] = await d.selectFrom('run_score').select('person_id').where('run_id', '=', f.runId).where('list', '=', 'children').where('on_list', '=', 0).orderBy('person_id').limit(2).execute();
    await d.insertInto('meeting').values({ meeting_id: `meeting-${meetingDate}`, meeting_date: meetingDate, run_id: f.runId, previous_meeting_id: null, chair_worker_id: f.chair.workerId, conversation_id: '19:c', header_activity_id: null, status: 'closed', created_by: f.chair.workerId, created_at: `${meetingDate}T09:00:00` }).execute();
    const item = (personId: string, decision: string, outcome: string | null) => ({ item_id: `meeting-${meetingDate}|${personId}`, meeting_id: `meeting-${meetingDate}`, person_id: personId, section: 'new', position: 0, version: 2, rag: 'red', decision, outcome, lead_agency: 'social_care', next_review: null, notes: null, recorded_by: f.chair.workerId, recorded_at: `${meetingDate}T10:00:00`, activity_id: null, detail: '{}' });
    await d.insertInto('meeting_item').values([item(a.person_id, 'refer', 'referral_accepted'), item(b.person_id, 'nfa', null)]).execute();
    const second = await scoreRun(f.db, {});
    expect(await fanout(second.runId)).toEqual({ recipients: 0, alerts: 0, new: 0 });
  }, 120_000);

  /**
   * A retrain that moved what a retrain moves, written as the scoring run
   * writes it (scores and changes) on top of the latest run: 13 children
   * none → low, a model reason resting on an old record moved into a listed
   * child's top reasons; and beside them one child crossing into the watch
   * band and one listed child gaining a new risk (a gang association).
   */
  it('alerts exactly the child who crossed into the watch band and the one who gained a new risk, not the 13 none → low nor the reordered reasons', async () => {
    const d = f.db.db;
    const before = await d.selectFrom('run').selectAll().where('status', '=', 'published').orderBy('started_at', 'desc').orderBy('run_id', 'desc').executeTakeFirstOrThrow();
    const runId = `${before.run_id}-retrained`;
    await d.insertInto('run').values({ ...before, run_id: runId, previous_run_id: before.run_id, summary: null }).execute();
    await d
      .insertInto('run_score')
      .columns(['run_id', ...SCORE_COLUMNS])
      .expression(d.selectFrom('run_score').select([sql.lit(runId).as('run_id'), ...SCORE_COLUMNS]).where('run_id', '=', before.run_id))
      .execute();
    const children = (band: string, onList: number) => d.selectFrom('run_score').select(['person_id', 'band', 'reason_items']).where('run_id', '=', before.run_id).where('list', '=', 'children').where('band', '=', band).where('on_list', '=', onList).orderBy('person_id');
    const [watch, ...noneToLow] = (await children('none', 0).limit(14).execute()).map((r) => r.person_id);
    const listed = (await d.selectFrom('run_score').select(['person_id', 'band', 'reason_items']).where('run_id', '=', before.run_id).where('list', '=', 'children').where('on_list', '=', 1).orderBy('person_id').limit(2).execute());
    const [reordered, newRisk] = listed;
    expect(noneToLow).toHaveLength(13);
    const itemsOf = (r: { reason_items: string | null }) => JSON.parse(r.reason_items ?? '[]') as ReasonItem[];
    const oldRecord: ReasonItem = { code: 'feature:zz_reordered', kind: 'because', text: 'they have an old record the model now weighs more', evidenceDate: '2001-01-01', source: 'education', audience: 'everyone' };
    const gang: ReasonItem = { code: 'index:zz_gang_association', kind: 'because', text: 'they are associated with a gang', evidenceDate: null, source: 'police', audience: 'everyone' };
    const set = (personId: string, fields: { band?: string; on_list?: number; reason_items?: string }) => d.updateTable('run_score').set(fields).where('run_id', '=', runId).where('person_id', '=', personId).execute();
    for (const p of noneToLow) await set(p, { band: 'low' });
    await set(watch, { band: 'medium' });
    await set(reordered.person_id, { reason_items: JSON.stringify([...itemsOf(reordered), oldRecord]) });
    await set(newRisk.person_id, { reason_items: JSON.stringify([...itemsOf(newRisk), gang]) });
    await d
      .insertInto('run_change')
      .values([...noneToLow.map((p) => ({ run_id: runId, person_id: p, change: 'band_up' as const, previous_band: 'none', band: 'low' })), { run_id: runId, person_id: watch, change: 'band_up' as const, previous_band: 'none', band: 'medium' }])
      .execute();
    // One caseworker is the only lead professional of all of them.
    const everyone = [...noneToLow, watch, reordered.person_id, newRisk.person_id];
    await d.deleteFrom('agency_involvement').where('person_id', 'in', everyone).execute();
    await d.insertInto('agency_involvement').values(everyone.map((p) => ({ person_id: p, agency: 'social_care', worker_id: f.caseworker.workerId, role: 'allocated social worker', start_date: null, end_date: null }))).execute();

    expect(await fanout(runId)).toEqual({ recipients: 1, alerts: 2, new: 2 });
    const alerts = await d.selectFrom('alert').select(['alert_id', 'change', 'previous_band', 'band', 'new_reasons']).where('run_id', '=', runId).orderBy('alert_id').execute();
    expect(alerts).toEqual(
      [
        { alert_id: `${runId}|${f.caseworker.workerId}|${watch}`, change: 'entered_watch', previous_band: 'none', band: 'medium', new_reasons: '[]' },
        { alert_id: `${runId}|${f.caseworker.workerId}|${newRisk.person_id}`, change: 'new_reason', previous_band: newRisk.band, band: newRisk.band, new_reasons: JSON.stringify([gang.code]) },
      ].sort((x, y) => x.alert_id.localeCompare(y.alert_id)),
    );
  }, 120_000);
});
