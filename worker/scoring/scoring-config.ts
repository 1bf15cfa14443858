import { readFileSync } from 'node:fs';
import { z } from 'zod';

const indexRules = z.object({
  version: z.string().min(1),
  description: z.string().optional(),
  rules: z.array(
    z.object({
      id: z.enum(['topaz_victim', 'cse_flagged_missing_36m', 'cse_flagged_event_12m', 'repeat_missing_90d', 'trafficking_36m', 'associates_with_cse_risk']),
      points: z.number().min(0).max(100),
      threshold: z.number().int().positive().optional(),
      reason: z.string().min(1),
    }),
  ),
});
export type IndexRules = z.infer<typeof indexRules>;

export interface Bands {
  /** Final score at or above which a child is in the band. @defaultValue high 60, medium 35, low 15 */
  readonly high: number;
  readonly medium: number;
  readonly low: number;
}

export interface ScoringConfig {
  readonly indexRules: IndexRules;
  readonly bands: Bands;
  /** Conduct-disorder flags in 12 months at or over which the risk is raised. @defaultValue 3 */
  readonly conductThreshold: number;
}

export class ScoringConfigError extends Error {
  constructor(path: string, reason: string) {
    super(`scoring configuration ${path} is not valid: ${reason}`);
    this.name = 'ScoringConfigError';
  }
}

export const DEFAULT_INDEX_RULES = new URL('./index-rules.v1.json', import.meta.url).pathname;

export function loadIndexRules(path = DEFAULT_INDEX_RULES): IndexRules {
  const parsed = indexRules.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new ScoringConfigError(path, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

export const DEFAULT_BANDS: Bands = { high: 60, medium: 35, low: 15 };

export function defaultScoringConfig(): ScoringConfig {
  return { indexRules: loadIndexRules(), bands: DEFAULT_BANDS, conductThreshold: 3 };
}

export type Band = 'high' | 'medium' | 'low' | 'none';

export function bandOf(score: number, bands: Bands): Band {
  if (score >= bands.high) return 'high';
  if (score >= bands.medium) return 'medium';
  if (score >= bands.low) return 'low';
  return 'none';
}
