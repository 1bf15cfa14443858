import type { RunStamp } from '../../cards/views.js';
import type { RunModel, ScoringRunRecord } from '../../db/repositories/runs.js';
import { isoDay, isoMinute } from './lookup-deps.js';

/** What a card's stamp reads of a run: its id, data date, publication and model. */
export type StampedRun = Pick<ScoringRunRecord, 'runId' | 'asOf' | 'finishedAt' | 'modelId'>;

/** Which run and model produced what a card shows. */
export function runStamp(run: StampedRun, model: Pick<RunModel, 'modelId' | 'trainedAt'> | undefined): RunStamp {
  return {
    runId: run.runId,
    asOf: isoDay(run.asOf),
    publishedAt: isoMinute(run.finishedAt),
    modelId: model?.modelId ?? run.modelId ?? 'index rules only (no model trained)',
    modelTrainedAt: model ? isoDay(model.trainedAt) : '',
  };
}
