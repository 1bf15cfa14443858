/** Said on every card and message: the system mirrors, it does not label. */
export const DECISION_SUPPORT_NOTICE =
  'Decision support, not a finding: this shows where a person has some of the same characteristics as children who were exploited, so that a professional can look closer. It does not say that anyone has been exploited or has done wrong.';
