/**
 * A calibrated chance as a caseworker reads it, with the grammar right for
 * every count ("fewer than 1 was", "about 1 was", "about 39 were").
 */
export function chanceSentence(inHundred: number, horizon = 'a year'): string {
  const who = inHundred < 1 ? 'fewer than 1 was' : inHundred === 1 ? 'about 1 was' : `about ${inHundred} were`;
  return `Of 100 children with a profile like this, ${who} accepted by the exploitation service within ${horizon}.`;
}
