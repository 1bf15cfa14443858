/**
 * What passes between the worker, which decides and records alerts, and the
 * bot, which sends them through Teams: plain data, an interface and one typed
 * error, so neither side imports the other.
 */

/** What one reader may be told about one child. */
export interface AlertItem {
  readonly personId: string;
  /** `on_list`: a school safeguarding lead's weekly digest of their pupils on the list. */
  readonly change: 'joined_list' | 'band_up' | 'on_list';
  readonly previousBand: string | null;
  readonly band: string | null;
  readonly chanceIn100: number | null;
  readonly reasonLines: readonly string[];
  readonly shownCodes: readonly string[];
  readonly policeHoldMore: boolean;
  readonly agencies: readonly string[];
  /** The multi-agency meeting closed this child on this date; their risk has risen since. */
  readonly closedOn?: string;
}

/** One message to one member of staff: a card per child, or a digest when there are many. */
export interface AlertDelivery {
  readonly runId: string;
  readonly workerId: string;
  readonly items: readonly (AlertItem & { readonly alertId: string })[];
  readonly digest: boolean;
  /** A school safeguarding lead's digest of their pupils on this run's list (not "risk emerged"). */
  readonly school?: boolean;
  /** Teams found the message too large (413): send the short form (what changed, and the way to the profile). */
  readonly compact?: boolean;
  /** An earlier attempt stopped mid-send (the worker died): Teams may already have it, so the card says it is sent again. */
  readonly resent?: boolean;
}

/** An action agreed at a meeting, as its owner's reminder shows it. */
export interface DueAction {
  readonly actionId: string;
  readonly personId: string;
  readonly description: string;
  readonly due: string;
  readonly status: string;
  readonly meetingDate: string;
}

/** One owner's actions that have fallen due, in one message. */
export interface ActionReminder {
  readonly workerId: string;
  readonly actions: readonly DueAction[];
}

/** A lead professional asked, before a meeting, for a short update on each of their children on its agenda. */
export interface UpdateRequest {
  readonly workerId: string;
  readonly meetingId: string;
  readonly meetingDate: string;
  readonly items: readonly { readonly updateId: string; readonly personId: string; readonly band: string }[];
  /** Asked of a police role: the card says the update stays in the Police view unless they share it. */
  readonly policeAuthor?: boolean;
}

/**
 * How alerts reach Teams. The bot side implements it (botbuilder's
 * `continueConversation` with the stored reference), so the worker never
 * imports botbuilder.
 */
export interface AlertSender {
  /** `reference`: the conversation reference Teams gave on install, as stored. */
  send(reference: Record<string, unknown>, delivery: AlertDelivery): Promise<{ readonly activityId: string }>;
  /** An action owner's reminder of meeting actions that fell due, with Done and Blocked on each. */
  remind?(reference: Record<string, unknown>, reminder: ActionReminder): Promise<{ readonly activityId: string }>;
  /** A short message to a meeting's group chat that names no child (the scheduled agenda's "ready" notice). */
  notifyChat?(reference: Record<string, unknown>, text: string): Promise<{ readonly activityId: string }>;
  /** A lead professional's request for short updates before a meeting, one text box per child. */
  requestUpdates?(reference: Record<string, unknown>, request: UpdateRequest): Promise<{ readonly activityId: string }>;
  /**
   * Opens a 1:1 chat with a member of staff who has none (by Entra object id)
   * and returns its conversation reference; absent when no tenant is
   * configured, and then their alerts are held. Throws SendRejectedError.
   */
  openConversation?(aadObjectId: string): Promise<Record<string, unknown>>;
  /** The tenant `openConversation` opens chats in (its requests count against that tenant's limit). */
  readonly tenantId?: string;
}

/** Teams refused or could not take a send; `status` is the HTTP status the Bot Connector answered. */
export class SendRejectedError extends Error {
  constructor(
    readonly status: number,
    /** From `Retry-After`, when Teams gave one. */
    readonly retryAfterMs: number | null,
    detail: string,
  ) {
    super(`Teams answered ${status}: ${detail}`);
    this.name = 'SendRejectedError';
  }

  /** Blocked, uninstalled, not in the roster, bot disabled: the conversation is stale, sending again will not help. */
  get stale(): boolean {
    return this.status === 403 || this.status === 404;
  }

  get retryable(): boolean {
    return this.status === 429 || this.status === 412 || this.status >= 500;
  }
}
