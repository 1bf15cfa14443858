/**
 * How hard the generated world is to read. `standard` is the generator as it
 * always was (its output is unchanged). `realistic` adds what real TFDs hold
 * and the standard world spares the model: CSE concerns flagged on about 9% of
 * missing episodes (NCA 2018/19) and unfounded CSE-tagged intelligence about
 * teenagers, most of them children who are not exploited; exploitation that
 * often leaves no CSE-tagged record; co-offending peer groups that are not
 * exploitation; and adults outside the household (youth workers, relatives)
 * who share many records with at-risk children innocently. `quiet` is
 * `realistic` where victims' own records barely move: only their network
 * betrays them.
 */
export const DIFFICULTIES = ['standard', 'realistic', 'quiet'] as const;
export type DifficultyName = (typeof DIFFICULTIES)[number];

export interface Difficulty {
  readonly name: DifficultyName;
  /** Chance a missing report with no exploitation behind it is tagged CSE: at home, and while looked after. */
  readonly backgroundMissingCse: { readonly home: number; readonly care: number };
  /** Unfounded CSE-tagged intelligence naming a teenager, per teen-year (everyone, before any recording bias). */
  readonly unfoundedCseIntelligence: number;
  /** Multiplies the chance that a record of exploitation is tagged CSE. */
  readonly exploitationCseTag: number;
  /** Co-offending peer groups of 3–4 teenagers per 1,000 teenagers per year. */
  readonly coOffendingGroups: number;
  /** Chance that a looked-after child has an adult outside the household who shares records with them innocently. */
  readonly innocentAdults: number;
  /** Multiplies the shift in a victim's own record around onset (missing episodes, school, referrals, support). */
  readonly victimShift: number;
}

const REALISTIC: Difficulty = {
  name: 'realistic',
  backgroundMissingCse: { home: 0.09, care: 0.09 },
  unfoundedCseIntelligence: 0.03,
  exploitationCseTag: 0.4,
  coOffendingGroups: 4,
  innocentAdults: 0.5,
  victimShift: 1,
};

export const DIFFICULTY: Readonly<Record<DifficultyName, Difficulty>> = {
  standard: { name: 'standard', backgroundMissingCse: { home: 0.04, care: 0.06 }, unfoundedCseIntelligence: 0, exploitationCseTag: 1, coOffendingGroups: 0, innocentAdults: 0, victimShift: 1 },
  realistic: REALISTIC,
  quiet: { ...REALISTIC, name: 'quiet', victimShift: 0.25 },
};
