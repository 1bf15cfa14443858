import { appendAccessAudit } from '../../../db/repositories/access-audit.js';
import type { Meeting } from '../../../domain/meeting-record.js';
import type { Caller } from '../../../domain/roles.js';
import type { MeetingPageView } from '../../../cards/meeting-card.js';
import { actorOf, type LookupDeps, type Requester } from '../lookup-deps.js';

/** Who a card was shown to: the meeting's chat and the members the roster check read there, or the presser alone. */
export type Audience = { readonly chatId: string; readonly members: readonly string[] } | { readonly presserOnly: true };

const audienceWords = (to: Audience) => ('presserOnly' in to ? 'the presser alone' : `chat ${to.chatId} (${to.members.length} members: ${to.members.join(', ')})`);

/**
 * One audit row per child on a card that was shown (a Refresh, a Save's
 * answer, a refusal that answers with the page, the Police view): what it
 * disclosed of that child, to whom, on what basis. What is audited is read
 * from the view itself, so it is what the card showed.
 */
export async function auditPageShown(deps: LookupDeps, requester: Requester, caller: Caller, action: string, meeting: Meeting, view: MeetingPageView, to: Audience, basis: string): Promise<void> {
  await appendAccessAudit(
    deps.db,
    view.items.map((i) => ({
      actor: actorOf(requester, caller),
      action,
      personId: i.personId,
      outcome: 'allowed' as const,
      basis: `${basis}; shown to ${audienceWords(to)}`,
      shown: [`band ${i.band}`, `${i.reasonLines.length} reason lines`, ...i.reasonLines.filter((l) => /Op Topaz/.test(l)), ...i.agencies.map((a) => `agency ${a}`), `${i.updates?.length ?? 0} updates`, `${i.actions.length} actions`, ...(i.recorded ? [`recorded ${i.recorded.decision ?? ''}`] : [])].join('; '),
      runId: meeting.runId,
      channel: requester.channel,
    })),
    deps.now(),
  );
}
