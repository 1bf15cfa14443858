/**
 * Splits a run's stored reasons paragraph into one statement per line for a
 * card: the "deemed at risk because a; b; c." sentence becomes one line per
 * reason; other sentences stay whole. The stored decision-support sentence
 * is left out: every card carries the full statement.
 */
export function reasonLines(reasons: string): string[] {
  const lines: string[] = [];
  for (const sentence of reasons.split(/(?<=\.)\s+(?=[A-Z])/)) {
    const because = /^This person was deemed at risk because (.*)\.$/.exec(sentence.trim());
    if (because) for (const part of because[1].split('; ')) lines.push(capitalise(part.trim()) + '.');
    else if (sentence.trim() && !/decision support/i.test(sentence)) lines.push(sentence.trim());
  }
  return lines;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
