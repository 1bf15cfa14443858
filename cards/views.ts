/**
 * Plain data the cards are built from. The lookups fill these; the card
 * builders turn them into Adaptive Cards. Nothing here knows about Teams.
 */

/** One line of the TFD-style table: Indicator | Indicator Date | Value | Notes. */
export interface IndicatorLine {
  readonly indicator: string;
  readonly date: string;
  readonly value: string;
  readonly notes: string;
}

export interface AgencyLine {
  readonly agency: string;
  readonly role: string;
  readonly worker: string;
  readonly since: string;
}

export interface RunStamp {
  readonly runId: string;
  readonly asOf: string;
  readonly publishedAt: string;
  readonly modelId: string;
  readonly modelTrainedAt: string;
}

export interface ProfileView {
  readonly personId: string;
  readonly ageBand: string;
  readonly school: string;
  readonly area: string;
  readonly headline: string;
  readonly indicators: readonly IndicatorLine[];
  /** Plain-English reasons the viewer may see, one statement per line (built by the access policy from the stored items). */
  readonly reasons: readonly string[];
  readonly agencies: readonly AgencyLine[];
  readonly run: RunStamp | null;
  /** Who is viewing, as the card says it ("shown to … as …"). */
  readonly viewer: string;
}

export interface ListRow {
  readonly personId: string;
  readonly ageBand: string;
  readonly score: string;
  readonly band: string;
  readonly notes: string;
}

export interface ListSection {
  readonly title: string;
  readonly caption: string;
  readonly rows: readonly ListRow[];
  /** Rows left off to keep the card within Teams' message size. */
  readonly more: number;
}

export interface ListView {
  readonly title: string;
  readonly sections: readonly ListSection[];
  readonly run: RunStamp | null;
  readonly viewer: string;
}

/** A short message card: refusals, bad input, empty results. */
export interface Notice {
  readonly title: string;
  readonly text: string;
  readonly tone: 'default' | 'attention';
}

/** The `model` command's summary of the latest run's model card. */
export interface ModelSummaryView {
  readonly runId: string;
  readonly asOf: string;
  readonly modelId: string;
  readonly facts: readonly { title: string; value: string }[];
  readonly biasSummary: string;
  readonly biasFlags: readonly string[];
  readonly cardUrl: string;
  readonly viewer: string;
}
