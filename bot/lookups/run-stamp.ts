import type { RunStamp } from '../../cards/views.js';
import { isoDay, isoMinute } from './lookup-deps.js';

/** What a card's stamp reads of a run: its id, data date, publication and model (stored dates as text or Date). */
export interface StampedRun {
  readonly run_id: string;
  readonly as_of: unknown;
  readonly finished_at: unknown;
  readonly model_id: string | null;
}

/** Which run and model produced what a card shows. */
export function runStamp(run: StampedRun, model: { model_id: string; trained_at: string } | undefined): RunStamp {
  return {
    runId: run.run_id,
    asOf: isoDay(run.as_of),
    publishedAt: isoMinute(run.finished_at),
    modelId: model?.model_id ?? run.model_id ?? 'index rules only (no model trained)',
    modelTrainedAt: model ? isoDay(model.trained_at) : '',
  };
}
