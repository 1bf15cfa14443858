/**
 * Row types as stored. Dates are ISO strings (`YYYY-MM-DD`), timestamps
 * `YYYY-MM-DDTHH:MM:SS`, booleans 0/1: the same on SQLite and SQL Server once
 * read back through the repositories.
 */

export interface AreaRow {
  area_id: string;
  name: string;
}
export interface SchoolRow {
  school_id: string;
  name: string;
  phase: string;
  area_id: string;
}
export interface LocationRow {
  location_id: string;
  kind: string | null;
  lsoa: string | null;
  area_id: string | null;
}
export interface IndicatorCatalogueRow {
  code: string;
  label: string;
  source: string;
  kind: string;
  area_id: string | null;
}
export interface PersonRow {
  person_id: string;
  date_of_birth: string | null;
  sex: string | null;
  ethnicity: string | null;
  imd_decile: number | null;
  area_id: string | null;
}
export interface StaffRow {
  worker_id: string;
  display_name: string;
  email: string | null;
  aad_object_id: string | null;
  agency: string | null;
  role: string;
  school_id: string | null;
  /** The area the member works for; null = every area (police, force-wide staff). */
  area_id: string | null;
}
export interface FamilyMembershipRow {
  family_id: string;
  person_id: string;
  role: string;
  start_date: string | null;
  end_date: string | null;
}
export interface SchoolEnrolmentRow {
  person_id: string;
  school_id: string;
  start_date: string | null;
  end_date: string | null;
}
export interface AgencyInvolvementRow {
  person_id: string;
  agency: string;
  worker_id: string | null;
  role: string | null;
  start_date: string | null;
  end_date: string | null;
}
export interface IndicatorFactRow {
  person_id: string;
  code: string;
  start_date: string;
  end_date: string | null;
  value: number | null;
}
export interface EventRow {
  event_id: string;
  event_type: string;
  occurred_at: string;
  location_id: string | null;
  cse_flag: number | null;
}
export interface EventPartyRow {
  event_id: string;
  person_id: string;
  role: string;
}
export interface BaseCohortRow {
  person_id: string;
  start_of_service: string;
  end_of_service: string | null;
}
export interface TopazMarkerRow {
  person_id: string;
  marker: string;
  start_date: string;
  end_date: string | null;
  note: string | null;
}

/** One row per bundle import: what was loaded, from where, when. */
export interface BundleImportRow {
  import_id: string;
  source: string;
  started_at: string;
  finished_at: string;
  replaced: number;
  /** JSON: `{ [table]: rows }`. */
  row_counts: string;
}

export interface ModelVersionRow {
  model_id: string;
  kind: string;
  trained_at: string;
  as_of: string;
  cohort_size: number;
  /** JSON: the fitted model (feature names, means, scales, coefficients). */
  artefact: string;
  /** JSON: holdout metrics at training time. */
  metrics: string;
}

export type RunStatus = 'running' | 'published' | 'failed';

export interface RunRow {
  run_id: string;
  as_of: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  model_id: string | null;
  previous_run_id: string | null;
  /** JSON: counts, data quality, evaluation. */
  summary: string | null;
  error: string | null;
}

export interface RunScoreRow {
  run_id: string;
  person_id: string;
  as_of: string;
  age: number | null;
  predictive_score: number;
  index_score: number;
  network_score: number | null;
  final_score: number;
  band: string;
  on_list: number;
  missing_person_risk: number | null;
  conduct_flags: number;
  conduct_disorder_risk: number;
  /** The calibrated chance (0–1) of acceptance by the exploitation service within the configured horizon; null for adults and uncalibrated runs. */
  probability: number | null;
  /** JSON: the reasons as items (domain/reason-item.ts), each with its audience: stored once, rendered for each reader when shown. Null for runs scored before items existed. */
  reason_items: string | null;
  /** Runs scored before items existed: their analysts' paragraph, the only record of their reasons (null for every later row). */
  reasons_before_items: string | null;
  /** JSON: [{ feature, value, contribution }] behind the predictive score. */
  contributions: string;
  /** 'children' (the weekly list) or 'over_18' ("CSE Risk – Subjects Over 18"). */
  list: string | null;
}

export interface RunEdgeRow {
  run_id: string;
  person_a: string;
  person_b: string;
  shared_events: number;
  first_date: string;
  last_date: string;
  /** Comma-separated event types the two share. */
  event_types: string;
}

export interface RunChangeRow {
  run_id: string;
  person_id: string;
  change: 'joined_list' | 'left_list' | 'band_up' | 'band_down';
  previous_band: string | null;
  band: string | null;
}

/** A member of staff's 1:1 chat with the bot, as Teams gave it on install (the whole reference is kept). */
export interface ConversationReferenceRow {
  aad_object_id: string;
  worker_id: string | null;
  conversation_id: string;
  service_url: string;
  tenant_id: string | null;
  bot_id: string | null;
  /** JSON: the botbuilder ConversationReference. */
  reference: string;
  /** 0 after an uninstall or a 403 from Teams: no more sends. */
  active: number;
  updated_at: string;
}

/**
 * `sending`: handed to Teams, answer not yet recorded (a worker that dies here leaves it so, and the retry says it is sent again).
 * `failed`: Teams refused it for good (400, 401); never queued again.
 */
export type AlertStatus = 'pending' | 'sending' | 'sent' | 'held' | 'stale' | 'failed';

/** One child's emerging risk for one lead professional, from one run. */
export interface AlertRow {
  /** `${run_id}|${worker_id}|${person_id}`: the same alert is never made twice. */
  alert_id: string;
  run_id: string;
  worker_id: string;
  person_id: string;
  /** What made the risk emerge (domain/alert.ts `AlertChange`). */
  change: string;
  status: AlertStatus;
  activity_id: string | null;
  sent_at: string | null;
  /** Why it was held, went stale or failed (Teams' answer); never what a reader is shown (that is rendered when it is shown). */
  detail: string | null;
  /** The child's band in the run before, and in this one. */
  previous_band: string | null;
  band: string | null;
  /** JSON: the reason codes this run gave the child that the run before did not (db/repositories/alerts.ts decodes it). */
  new_reasons: string | null;
  /** The meeting closed this child on this date (YYYY-MM-DD); their risk has risen since. */
  closed_on: string | null;
  /** While `sending`: until when the delivery that marked it owns it; past this the reconciler takes it up again. */
  lease_until: string | null;
}

/** What must follow a publish or a new agenda, written in the same transaction: an outbox row, done once its work is queued. */
export interface DeliveryIntentRow {
  /** `${kind}|${subject_id}`: written once per run or agenda. */
  intent_id: string;
  kind: 'alert-fanout' | 'meeting-update-requests';
  /** The run id (alert-fanout) or the meeting id (meeting-update-requests). */
  subject_id: string;
  created_at: string;
  done_at: string | null;
}

export type AlertAction = 'acknowledged' | 'already_known' | 'not_a_concern' | 'review_requested';

/** What a practitioner answered on an alert card: feedback the model and the meeting read. */
export interface AlertResponseRow {
  response_id: string;
  alert_id: string;
  run_id: string;
  worker_id: string;
  person_id: string;
  action: AlertAction;
  note: string | null;
  responded_at: string;
}

/** One multi-agency meeting: the run its agenda was drawn from, the chat it is held in. */
export interface MeetingRow {
  meeting_id: string;
  meeting_date: string;
  /** The area whose children the agenda holds (null: a meeting drawn before areas were kept apart). */
  area_id: string | null;
  run_id: string;
  previous_meeting_id: string | null;
  chair_worker_id: string | null;
  conversation_id: string | null;
  /** The Teams activity of the agenda's first card (attendance), updated for everyone. */
  header_activity_id: string | null;
  /** `agenda` (open for recording) or `closed` (minutes final). */
  status: string;
  created_by: string;
  created_at: string;
}

/** One child on a meeting's agenda and what the meeting decided (domain/meeting.ts names the values). */
export interface MeetingItemRow {
  /** `${meeting_id}|${person_id}`. */
  item_id: string;
  meeting_id: string;
  person_id: string;
  section: string;
  position: number;
  /** Raised by one on every recording: an edit made from an older card is refused, not lost. */
  version: number;
  rag: string | null;
  decision: string | null;
  outcome: string | null;
  lead_agency: string | null;
  next_review: string | null;
  notes: string | null;
  recorded_by: string | null;
  recorded_at: string | null;
  /** The Teams activity of the item's card in the meeting's chat (updated for everyone after a recording). */
  activity_id: string | null;
  /** JSON: the item as the agenda drew it (score trend, band, agencies, last decision, open actions, who asked for it). */
  detail: string;
}

export interface MeetingActionRow {
  action_id: string;
  meeting_id: string;
  item_id: string;
  person_id: string;
  description: string;
  owner_worker_id: string;
  due_date: string;
  status: string;
  created_by: string;
  created_at: string;
  updated_by: string | null;
  updated_at: string | null;
  reminded_at: string | null;
}

export interface MeetingAttendeeRow {
  meeting_id: string;
  worker_id: string;
  agency: string | null;
  /** `present` or `apologies`. */
  attendance: string;
}

/** A lead professional asked for a short update on a child before the meeting, and their answer. */
export interface MeetingUpdateRow {
  /** `${item_id}|${worker_id}`: asked once per item and person. */
  update_id: string;
  meeting_id: string;
  item_id: string;
  person_id: string;
  worker_id: string;
  /** `requested`, `held` (no Teams chat with the bot) or `answered`. */
  status: string;
  requested_at: string;
  text: string | null;
  answered_at: string | null;
  /** 1: a police author let partners read it (without their name); 0 or null: Police view only. */
  shareable: number | null;
}

/** The chat a meeting is held in (its whole Teams conversation reference) and its chair. */
export interface MeetingChatRow {
  conversation_id: string;
  reference: string;
  chair_worker_id: string;
  updated_at: string;
}

export type AuditOutcome = 'allowed' | 'refused' | 'processed';

/** One consultation, disclosure, refusal or processing step (append-only). */
export interface AccessAuditRow {
  audit_id: string;
  occurred_at: string;
  actor_aad_object_id: string | null;
  actor_worker_id: string | null;
  actor_role: string | null;
  /** `profile`, `list`, `model`, `network_inference`, … */
  action: string;
  person_id: string | null;
  outcome: AuditOutcome;
  /** Why it was allowed or refused, in words a DPO can read. */
  basis: string;
  /** What was disclosed (sections, list names, counts); '' when nothing was. */
  shown: string;
  run_id: string | null;
  /** Where: the Teams conversation type and id, or `worker`. */
  channel: string | null;
  /** The entry's place in the hash chain (1, 2, …); null only on a row written outside the repository. */
  seq: number | null;
  /** The previous entry's row_hash (domain/audit-chain.ts GENESIS_HASH for the first). */
  prev_hash: string | null;
  /** SHA-256 over every field above and prev_hash (domain/audit-chain.ts). */
  row_hash: string | null;
}

/** The chain's last link, one row (head_id 1), moved in the same transaction as each append. */
export interface AuditChainHeadRow {
  head_id: number;
  seq: number;
  row_hash: string;
  updated_at: string;
}

/** A run's evaluation: the model card's JSON twin. */
export interface RunEvaluationRow {
  run_id: string;
  evaluation: string;
}

export interface Database {
  area: AreaRow;
  school: SchoolRow;
  location: LocationRow;
  indicator_catalogue: IndicatorCatalogueRow;
  person: PersonRow;
  staff: StaffRow;
  family_membership: FamilyMembershipRow;
  school_enrolment: SchoolEnrolmentRow;
  agency_involvement: AgencyInvolvementRow;
  indicator_fact: IndicatorFactRow;
  event: EventRow;
  event_party: EventPartyRow;
  base_cohort: BaseCohortRow;
  topaz_marker: TopazMarkerRow;
  bundle_import: BundleImportRow;
  model_version: ModelVersionRow;
  run: RunRow;
  run_score: RunScoreRow;
  run_change: RunChangeRow;
  conversation_reference: ConversationReferenceRow;
  alert: AlertRow;
  alert_response: AlertResponseRow;
  delivery_intent: DeliveryIntentRow;
  meeting: MeetingRow;
  meeting_item: MeetingItemRow;
  meeting_action: MeetingActionRow;
  meeting_attendee: MeetingAttendeeRow;
  meeting_update: MeetingUpdateRow;
  meeting_chat: MeetingChatRow;
  run_edge: RunEdgeRow;
  access_audit: AccessAuditRow;
  audit_chain_head: AuditChainHeadRow;
  run_evaluation: RunEvaluationRow;
}
