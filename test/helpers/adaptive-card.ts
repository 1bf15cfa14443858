import * as AC from 'adaptivecards';

/** Problems the Adaptive Cards parser finds in a card (parse warnings and property validation), or []. */
export function cardProblems(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card as object, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of parsed.validateProperties().validationEvents) problems.push(`validate: ${event.message}`);
  return problems;
}

/** Every text a person would read on a card, in order. */
export function cardTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) cardTexts(child, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
    for (const value of Object.values(o)) cardTexts(value, out);
  }
  return out;
}

/** The first action anywhere on a card (body action sets included) with this title, or undefined. */
export function findAction(node: unknown, title: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findAction(child, title);
      if (found) return found;
    }
  } else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Action.') && o.title === title) return o;
    for (const value of Object.values(o)) {
      const found = findAction(value, title);
      if (found) return found;
    }
  }
  return undefined;
}
