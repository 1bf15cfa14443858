import type { RunRow } from '../../db/schema/database-schema.js';
import type { RunStamp } from '../../cards/views.js';
import { isoDay, isoMinute } from './lookup-deps.js';

/** Which run and model produced what a card shows. */
export function runStamp(run: RunRow, model: { model_id: string; trained_at: string } | undefined): RunStamp {
  return {
    runId: run.run_id,
    asOf: isoDay(run.as_of),
    publishedAt: isoMinute(run.finished_at),
    modelId: model?.model_id ?? run.model_id ?? 'index rules only (no model trained)',
    modelTrainedAt: model ? isoDay(model.trained_at) : '',
  };
}
