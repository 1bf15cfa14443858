/**
 * The system mirrors, it does not label: one statement, said on every card,
 * message, export and model card.
 */
export const DECISION_SUPPORT_STATEMENT =
  'Decision support, not a finding: this shows where a person has some of the same characteristics as children who were exploited, so that a professional can look closer. It does not say that anyone has been exploited or has done wrong.';

/**
 * What a partner (any non-police role) sees when police hold reasons they may
 * not: the same words whatever the reason, so it discloses nothing itself.
 */
export const POLICE_HOLD_MORE =
  'Police hold further information relevant to this child: contact the exploitation team.';

/** Said wherever "CSE Risk – Subjects Over 18" is shown (before the decision-support statement). */
export const OVER_18_NOTICE =
  'Being on this list does not mean this person has done anything wrong: they may be a witness, an informant, an unwitting facilitator, or exploited themselves.';
