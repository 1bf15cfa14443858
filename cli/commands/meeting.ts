import { Command } from 'commander';
import { withDb } from '../with-db.js';
import { loadConfig, meetingDateWindowOf } from '../../config/env.js';
import { UserFacingError } from '../../domain/errors.js';
import { writeMinutes } from '../../reports/minutes/write-minutes.js';
import { meetingsLatestFirst, itemsOfMeeting } from '../../db/repositories/meetings.js';

export class MinutesOptionsError extends UserFacingError {}

const minutes = new Command('minutes')
  .description('write minutes.pdf, minutes.docx and minutes.csv of a meeting (date, chair, attendees by agency, apologies, confidentiality statement, each child’s decision and actions); opening them is written to the access audit')
  .requiredOption('--out <dir>', 'folder to write the three files into (created if missing)')
  .requiredOption('--as <worker_id>', 'who is opening the minutes (staff worker id): the chair, a member of the meeting, an officer or an analyst')
  .option('--latest', 'the latest meeting (the default)')
  .option('--meeting <id>', 'a meeting by id (see `meeting list`)')
  .action(async (opts: { out: string; as: string; latest?: boolean; meeting?: string }) => {
    if (opts.latest && opts.meeting) throw new MinutesOptionsError('give --latest or --meeting <id>, not both');
    const window = meetingDateWindowOf(loadConfig());
    const { view, files } = await withDb((db) => writeMinutes(db.db, opts.out, { workerId: opts.as }, { meetingId: opts.meeting, window }));
    const decided = view.items.filter((i) => i.decision).length;
    console.log(`minutes of ${view.meetingId} (${view.status}): ${view.items.length} children, ${decided} with a decision, ${view.items.reduce((n, i) => n + i.actions.length, 0)} actions`);
    for (const f of files) console.log(`  ${f}`);
  });

const list = new Command('list').description('meetings held, latest first, with how many items have a decision').action(async () => {
  await withDb(async (db) => {
    const meetings = await meetingsLatestFirst(db.db);
    if (meetings.length === 0) console.log('no meeting yet: a chair types `meeting new` in the meeting’s chat');
    for (const m of meetings) {
      const items = await itemsOfMeeting(db.db, m.meetingId);
      console.log(`${m.meetingId}  ${m.meetingDate}  run ${m.runId}  ${items.length} children, ${items.filter((i) => i.recording?.decision).length} decided  (${m.status})`);
    }
  });
});

export const meetingCommand = new Command('meeting').description('the multi-agency victim-list meeting: its minutes and history').addCommand(minutes).addCommand(list);
