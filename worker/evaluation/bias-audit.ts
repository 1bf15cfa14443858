import { rateRatio, wilsonInterval, type Interval } from './proportions.js';

/** Groupings the audit compares. None of them is ever a model input. */
export const AUDIT_ATTRIBUTES = ['sex', 'ethnicity', 'imd_quintile', 'area', 'age_band'] as const;
export type AuditAttribute = (typeof AUDIT_ATTRIBUTES)[number];

/** Aequitas' default band: a ratio to the reference group between 0.8 and 1.25 counts as parity. */
export const PARITY_BAND = { low: 0.8, high: 1.25 } as const;

export const AUDIT_METRICS = ['listRate', 'recall', 'falsePositiveRate'] as const;
export type AuditMetric = (typeof AUDIT_METRICS)[number];

/**
 * Only error-rate disparities are flagged: the model treating like children
 * unlike. List-rate differences are reported as context, because need itself
 * differs between deprivation quintiles and areas, and flags raised on every
 * run for that reason teach readers to ignore flags.
 */
export const FLAGGED_METRICS: ReadonlySet<AuditMetric> = new Set(['recall', 'falsePositiveRate']);

/** One child in the audit: their groups, whether they are on the list, and whether they are a positive. */
export interface AuditSubject {
  readonly groups: Readonly<Record<AuditAttribute, string>>;
  readonly listed: boolean;
  readonly positive: boolean;
}

export interface Rate extends Interval {
  readonly value: number;
  readonly numerator: number;
  readonly denominator: number;
}

export interface Disparity extends Interval {
  readonly ratio: number;
  /** The whole interval lies outside the parity band: a difference the data supports, not noise. */
  readonly outsideBand: boolean;
  /** Outside the band on an error rate (recall, false-positive rate). */
  readonly flagged: boolean;
}

export interface GroupMeasures {
  readonly group: string;
  readonly members: number;
  readonly rates: Readonly<Record<AuditMetric, Rate>>;
  /** Ratios to the reference group (absent for the reference itself). */
  readonly disparities: Partial<Readonly<Record<AuditMetric, Disparity>>>;
}

export interface AttributeAudit {
  readonly attribute: AuditAttribute;
  readonly reference: string;
  readonly groups: readonly GroupMeasures[];
}

export interface AuditFlag {
  readonly attribute: AuditAttribute;
  readonly group: string;
  readonly reference: string;
  readonly metric: AuditMetric;
  readonly ratio: number;
  readonly low: number;
  readonly high: number;
  readonly direction: 'higher' | 'lower';
}

export interface BiasAudit {
  /** What "positive" means: later cohort membership, or synthetic ground truth. */
  readonly labels: string;
  readonly band: typeof PARITY_BAND;
  readonly subjects: number;
  readonly attributes: readonly AttributeAudit[];
  /** Error-rate disparities outside the band. */
  readonly flags: readonly AuditFlag[];
  /** List-rate differences outside the band: context, not flags. */
  readonly context: readonly AuditFlag[];
}

function rate(numerator: number, denominator: number): Rate {
  const ci = wilsonInterval(numerator, denominator);
  return { value: denominator ? numerator / denominator : Number.NaN, numerator, denominator, ...ci };
}

function counts(subjects: readonly AuditSubject[]) {
  let listed = 0;
  let positives = 0;
  let truePositives = 0;
  let falsePositives = 0;
  for (const s of subjects) {
    if (s.listed) listed++;
    if (s.positive) {
      positives++;
      if (s.listed) truePositives++;
    } else if (s.listed) falsePositives++;
  }
  return { members: subjects.length, listed, positives, truePositives, negatives: subjects.length - positives, falsePositives };
}

type Counts = ReturnType<typeof counts>;

const NUMERATOR: Record<AuditMetric, (c: Counts) => [number, number]> = {
  listRate: (c) => [c.listed, c.members],
  recall: (c) => [c.truePositives, c.positives],
  falsePositiveRate: (c) => [c.falsePositives, c.negatives],
};

/**
 * List rate, recall and false-positive rate per group of each attribute, as
 * ratios to the largest group with 95% intervals. An error rate is flagged
 * only when its whole interval lies outside 0.8–1.25, so a handful of children
 * in a small group cannot raise an alarm on their own; list rates outside the
 * band are returned as context.
 */
export function biasAudit(subjects: readonly AuditSubject[], labels: string): BiasAudit {
  const attributes: AttributeAudit[] = [];
  const flags: AuditFlag[] = [];
  const context: AuditFlag[] = [];
  for (const attribute of AUDIT_ATTRIBUTES) {
    const byGroup = new Map<string, AuditSubject[]>();
    for (const s of subjects) {
      const g = s.groups[attribute];
      const list = byGroup.get(g);
      if (list) list.push(s);
      else byGroup.set(g, [s]);
    }
    const groupCounts = [...byGroup].map(([group, members]) => ({ group, c: counts(members) })).sort((a, b) => b.c.members - a.c.members || (a.group < b.group ? -1 : 1));
    if (groupCounts.length === 0) continue;
    const reference = groupCounts[0];
    const groups: GroupMeasures[] = groupCounts.map(({ group, c }) => {
      const rates = Object.fromEntries(AUDIT_METRICS.map((m) => [m, rate(...NUMERATOR[m](c))])) as Record<AuditMetric, Rate>;
      const disparities: Partial<Record<AuditMetric, Disparity>> = {};
      if (group !== reference.group) {
        for (const metric of AUDIT_METRICS) {
          const [k1, n1] = NUMERATOR[metric](c);
          const [k0, n0] = NUMERATOR[metric](reference.c);
          const r = rateRatio(k1, n1, k0, n0);
          if (Number.isNaN(r.ratio)) continue;
          const outsideBand = r.high < PARITY_BAND.low || r.low > PARITY_BAND.high;
          const flagged = outsideBand && FLAGGED_METRICS.has(metric);
          disparities[metric] = { ...r, outsideBand, flagged };
          if (outsideBand) (flagged ? flags : context).push({ attribute, group, reference: reference.group, metric, ratio: r.ratio, low: r.low, high: r.high, direction: r.low > PARITY_BAND.high ? 'higher' : 'lower' });
        }
      }
      return { group, members: c.members, rates, disparities };
    });
    attributes.push({ attribute, reference: reference.group, groups });
  }
  return { labels, band: PARITY_BAND, subjects: subjects.length, attributes, flags, context };
}


const QUINTILES = ['Q1 (most deprived)', 'Q2 (deciles 3–4)', 'Q3 (deciles 5–6)', 'Q4 (deciles 7–8)', 'Q5 (least deprived)'];

/** The IMD quintile of a decile (1 = most deprived). */
export const imdQuintile = (decile: number | null): string => (decile === null || decile === undefined ? 'not recorded' : QUINTILES[Math.ceil(decile / 2) - 1]);
