import { describe, expect, it } from 'vitest';
import { parseReasonItems, StoredReasonsError } from '../../domain/reason-item.js';
import { runEvaluationCodec, StoredEvaluationError } from '../../worker/evaluation/run-evaluation-codec.js';
import { runSummaryCodec } from '../../worker/pipeline/run-summary.js';
import { modelMetricsCodec, StoredModelMetricsError } from '../../db/repositories/runs.js';

const item = { code: 'feature:missing_episode', kind: 'because', text: 'they have been reported missing 3 times in the last 12 months', evidenceDate: '2025-06-01', source: 'police', audience: 'everyone' };

describe('the one codec of run_score.reason_items', () => {
  it('reads stored items back as they were written', () => {
    expect(parseReasonItems(JSON.stringify([item]))).toEqual([item]);
    expect(parseReasonItems(null)).toEqual([]);
  });

  it('refuses an item without an audience instead of letting it decide who sees it', () => {
    const noAudience: Record<string, unknown> = { ...item };
    delete noAudience.audience;
    expect(() => parseReasonItems(JSON.stringify([noAudience]))).toThrow(StoredReasonsError);
    expect(() => parseReasonItems(JSON.stringify([{ ...item, audience: 'partners' }]))).toThrow(/0\.audience/);
    expect(() => parseReasonItems(JSON.stringify([{ ...item, kind: 'rumour' }]))).toThrow(/0\.kind/);
    expect(() => parseReasonItems('{"code":"x"}')).toThrow(StoredReasonsError);
  });
});

describe('the codecs of a run’s evaluation and summary', () => {
  it('refuses JSON that is not a version-1 evaluation, naming the field', () => {
    expect(() => runEvaluationCodec.parse({ version: 2, runId: 'r' })).toThrow(StoredEvaluationError);
    expect(() => runEvaluationCodec.parse({ version: 1, runId: 'r', asOf: '2025-06-30', generatedAt: 'x', modelId: null, indexRules: 'v1' })).toThrow(/statement/);
  });

  it('keeps an evaluation’s sections as stored', () => {
    const stored = { version: 1, runId: 'r', asOf: '2025-06-30', generatedAt: '2025-06-30T08:00:00', modelId: null, indexRules: 'v1', statement: 's', holdout: null, baseline: { modelBeatsBaseline: null } };
    expect(runEvaluationCodec.parse(stored)).toEqual(stored);
  });

  it('refuses a summary without its counts', () => {
    expect(() => runSummaryCodec.parse({ runId: 'r', asOf: '2025-06-30', modelId: null, indexRules: 'v1' })).toThrow(/children/);
  });
});

describe('the one codec of model_version.metrics', () => {
  it('reads the calibration’s horizon and keeps the rest as stored', () => {
    expect(modelMetricsCodec.parse({ holdout: null, calibration: { horizonDays: 365, interceptShift: -2 }, selection: null })).toEqual({ holdout: null, calibration: { horizonDays: 365, interceptShift: -2 }, selection: null });
    expect(modelMetricsCodec.parse({ holdout: null, calibration: null }).calibration).toBeNull();
  });

  it('refuses a calibration without a horizon instead of showing a chance over an unknown span', () => {
    expect(() => modelMetricsCodec.parse({ calibration: { acceptanceRate: 0.01 } })).toThrow(StoredModelMetricsError);
    expect(() => modelMetricsCodec.parse({ calibration: { acceptanceRate: 0.01 } })).toThrow(/calibration.horizonDays/);
    expect(() => modelMetricsCodec.parse({ calibration: { horizonDays: '365' } })).toThrow(/horizonDays/);
  });
});
