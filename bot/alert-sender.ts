import { CardFactory, MessageFactory, TurnContext, type CloudAdapterBase, type ConversationParameters, type ConversationReference } from 'botbuilder';
import { alertCard, alertDigestCard } from '../cards/alert-card.js';
import { SendRejectedError, type ActionReminder, type AlertDelivery, type AlertSender, type UpdateRequest } from '../domain/alert-delivery.js';
import { updateRequestCard } from '../cards/update-card.js';
import { noticeCard } from '../cards/build-cards.js';
import { actionReminderCard } from '../cards/action-card.js';

/** Retry-After in seconds (or an HTTP date) as milliseconds; null when absent. */
function retryAfterMs(value: unknown): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** The HTTP status and Retry-After of a failed Bot Connector call, however botbuilder's HTTP client reported it. */
function httpFailure(error: unknown): { status: number; retryAfter: number | null } | null {
  const e = error as { statusCode?: number; status?: number; response?: { status?: number; headers?: { get?: (n: string) => unknown } & Record<string, unknown> } };
  const status = e?.statusCode ?? e?.response?.status ?? e?.status;
  if (typeof status !== 'number') return null;
  const headers = e.response?.headers;
  const header = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
  return { status, retryAfter: retryAfterMs(header) };
}

/**
 * Alerts through Teams: continues the stored 1:1 conversation and sends the
 * card (one child) or the digest. The worker sees only AlertSender and
 * SendRejectedError; botbuilder stays on this side.
 */
export function teamsAlertSender(adapter: CloudAdapterBase, appId: string, proactive?: { readonly tenantId: string; readonly serviceUrl: string }): AlertSender {
  const openConversation = proactive?.tenantId
    ? async (aadObjectId: string): Promise<Record<string, unknown>> => {
        let reference: Record<string, unknown> | null = null;
        try {
          // The Entra object id goes in the member's id (aadObjectId alone gets 400).
          await adapter.createConversationAsync(
            appId,
            'msteams',
            proactive.serviceUrl,
            '',
            { isGroup: false, bot: { id: appId, name: 'TFD' }, members: [{ id: aadObjectId, name: '' }], tenantId: proactive.tenantId, channelData: { tenant: { id: proactive.tenantId } } } as unknown as ConversationParameters,
            async (context) => {
              reference = TurnContext.getConversationReference(context.activity) as unknown as Record<string, unknown>;
            },
          );
        } catch (error) {
          const failure = httpFailure(error);
          if (failure) throw new SendRejectedError(failure.status, failure.retryAfter, (error as Error).message?.slice(0, 300) ?? String(error));
          throw error;
        }
        if (!reference) throw new Error('Teams created no conversation');
        return reference;
      }
    : undefined;
  /** Sends one card into a stored conversation; Teams' refusals become SendRejectedError. */
  const sendCard = async (reference: Record<string, unknown>, card: Record<string, unknown>, summary: string) => {
    const message = MessageFactory.attachment(CardFactory.adaptiveCard(card));
    message.summary = summary;
    let activityId = '';
    let failed: unknown = null;
    // Caught inside the turn: left to propagate, the adapter's turn-error handler would answer the failure with a notice card to the same chat.
    await adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, async (context) => {
      try {
        activityId = (await context.sendActivity(message))?.id ?? '';
      } catch (error) {
        failed = error ?? new Error('the send failed');
      }
    });
    if (failed) {
      const failure = httpFailure(failed);
      if (failure) throw new SendRejectedError(failure.status, failure.retryAfter, (failed as Error).message?.slice(0, 300) ?? String(failed));
      throw failed;
    }
    return { activityId };
  };
  return {
    ...(openConversation && proactive ? { openConversation, tenantId: proactive.tenantId } : {}),
    async send(reference: Record<string, unknown>, delivery: AlertDelivery) {
      const form = { compact: delivery.compact, resent: delivery.resent, school: delivery.school };
      const card = delivery.digest ? alertDigestCard(delivery.items, delivery.runId, [], form) : alertCard(delivery.items[0], [], delivery.runId, form);
      const summary = delivery.school
        ? `Your pupils on this week's list: ${delivery.items.length}`
        : delivery.items.length === 1
          ? `CSE risk has emerged for ${delivery.items[0].personId}`
          : `CSE risk has emerged for ${delivery.items.length} children in your caseload`;
      return sendCard(reference, card, summary);
    },
    async notifyChat(reference: Record<string, unknown>, text: string) {
      return sendCard(reference, noticeCard({ title: 'The next meeting’s agenda is ready', text, tone: 'default' }), 'The next meeting’s agenda is ready');
    },
    async requestUpdates(reference: Record<string, unknown>, request: UpdateRequest) {
      return sendCard(reference, updateRequestCard({ meetingId: request.meetingId, meetingDate: request.meetingDate, items: request.items, policeAuthor: request.policeAuthor === true }), `Your update for the meeting on ${request.meetingDate}`);
    },
    async remind(reference: Record<string, unknown>, reminder: ActionReminder) {
      return sendCard(reference, actionReminderCard(reminder.actions), reminder.actions.length === 1 ? 'A meeting action is due' : `${reminder.actions.length} meeting actions are due`);
    },
  };
}
