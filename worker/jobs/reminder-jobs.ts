import type { TfdDb } from '../../db/database.js';
import { actionsDueForReminder, markActionsReminded } from '../../db/repositories/meetings.js';
import type { AlertSender } from '../../domain/alert-delivery.js';
import type { TeamsPace } from '../redis/teams-pace.js';
import { messageStaff } from './teams-chat.js';
import { remindersByOwner } from '../meeting/action-reminders.js';

export const ACTION_REMINDERS = 'action-reminders';

/**
 * Reminds each owner of the meeting actions that fell due (one message each,
 * through the same sender as alerts; audited first, as it names children).
 * An action is reminded once: `reminded_at` is set when Teams took the
 * message. Owners who never installed the app get a chat opened for them when
 * a tenant is configured (as alerts do); otherwise they are counted as held.
 */
export async function runActionReminders(deps: { readonly db: TfdDb; readonly sender: AlertSender; readonly now?: () => Date; readonly pace?: TeamsPace }, today?: string): Promise<{ owners: number; actions: number; held: number }> {
  const now = deps.now ?? (() => new Date());
  const due = await actionsDueForReminder(deps.db, today ?? now().toISOString().slice(0, 10));
  const reminders = remindersByOwner(due.map((a) => ({ actionId: a.actionId, personId: a.personId, description: a.description, due: a.dueDate, status: a.status, meetingDate: a.meetingDate, owner: a.ownerWorkerId })));
  let sent = 0;
  let held = 0;
  for (const reminder of reminders) {
    // A chat Teams says is gone (403/404): this owner's reminders wait for a new install; others still go.
    const outcome = await messageStaff(
      { ...deps, now },
      reminder.workerId,
      (chat) => reminder.actions.map((a) => ({ actor: { aadObjectId: chat.aadObjectId, workerId: reminder.workerId, role: null }, action: 'action_reminder', personId: a.personId, outcome: 'allowed' as const, basis: `owner of an action agreed at the meeting of ${a.meetingDate}`, shown: a.description.slice(0, 200), runId: null, channel: `teams-alert:${chat.conversationId}` })),
      deps.sender.remind && ((reference) => deps.sender.remind!(reference, reminder)),
    );
    if (outcome === 'held') {
      held += reminder.actions.length;
      continue;
    }
    await markActionsReminded(deps.db, reminder.actions.map((a) => a.actionId), now());
    sent += reminder.actions.length;
  }
  return { owners: reminders.length, actions: sent, held };
}
