import { z } from 'zod';
import { DECISION_SUPPORT_STATEMENT } from './decision-support.js';

/** Who a reason may be shown to: everyone the profile is shown to, or police roles only. */
export type ReasonAudience = 'everyone' | 'police';

/** Where a reason sits in the plain-English summary. */
export type ReasonKind = 'because' | 'family' | 'missing_person' | 'conduct' | 'over_18';

/**
 * One reason behind a score, stored as data so that every channel (cards,
 * alerts, the meeting, partner exports) builds its text from the items its
 * reader may see, instead of cutting a stored paragraph apart.
 */
export interface ReasonItem {
  /** Stable code: `index:<rule>`, `feature:<name>`, `family:<code>`, `missing_person_risk`, `conduct`, `over18:<why>`. */
  readonly code: string;
  readonly kind: ReasonKind;
  /** The clause as it reads after "because" (kinds `because`, `family`, `over_18`), or a whole sentence. */
  readonly text: string;
  /** The latest record the reason rests on (YYYY-MM-DD), where there is one. */
  readonly evidenceDate: string | null;
  /** The source it rests on: an indicator source (police, social_care, …), `topaz`, `network`, or `model`. */
  readonly source: string;
  readonly audience: ReasonAudience;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One line for a card: a sentence a reader can take on its own, with the date of the latest record behind it. */
export function reasonLine(item: ReasonItem): string {
  // "(most recently N days ago)" already dates the reason.
  const dated = item.evidenceDate && !item.text.includes('most recently') ? ` (latest record ${item.evidenceDate})` : '';
  switch (item.kind) {
    case 'because':
    case 'over_18':
      return `${capitalise(item.text)}${dated}.`;
    case 'family':
      return `In their family: ${item.text}.`;
    default:
      return item.text;
  }
}

/**
 * The plain-English summary as one paragraph, from whichever items a reader
 * may see (`scores.csv` gives analysts every item). `extraLines` are added
 * before the closing statement (e.g. the line that police hold more).
 */
export function reasonParagraph(items: readonly ReasonItem[], extraLines: readonly string[] = []): string {
  const parts: string[] = [];
  const over18 = items.filter((i) => i.kind === 'over_18').map((i) => i.text);
  if (over18.length > 0) {
    parts.push(`Listed on "CSE Risk – Subjects Over 18" because ${over18.join('; ')}.`);
  } else {
    const because = items.filter((i) => i.kind === 'because').map((i) => i.text);
    parts.push(because.length > 0 ? `This person was deemed at risk because ${because.join('; ')}.` : 'No single factor stands out for this person.');
    const family = items.filter((i) => i.kind === 'family').map((i) => i.text);
    if (family.length > 0) parts.push(`This person has the following contextual risk factors relating to at least one member of their family - ${family.join(' and ')}.`);
  }
  for (const i of items) if (i.kind === 'missing_person' || i.kind === 'conduct') parts.push(i.text);
  parts.push(...extraLines, DECISION_SUPPORT_STATEMENT);
  return parts.join(' ');
}

const REASON_KINDS = ['because', 'family', 'missing_person', 'conduct', 'over_18'] as const satisfies readonly ReasonKind[];

/** The one codec of run_score.reason_items: a list of items, each checked field by field. */
export const reasonItemsCodec = z.array(
  z.object({
    code: z.string(),
    kind: z.enum(REASON_KINDS),
    text: z.string(),
    evidenceDate: z.string().nullable(),
    source: z.string(),
    audience: z.enum(['everyone', 'police']),
  }),
) satisfies z.ZodType<ReasonItem[]>;

export class StoredReasonsError extends Error {
  constructor(detail: string) {
    super(`stored reasons are not a list of reason items (a fault in the run, not something to show): ${detail}`);
  }
}

/** Reads stored items back; anything that is not a list of items is a fault in the run, not something to show. */
export function parseReasonItems(json: string | null | undefined): ReasonItem[] {
  if (!json) return [];
  const parsed = reasonItemsCodec.safeParse(JSON.parse(json));
  if (!parsed.success) throw new StoredReasonsError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; '));
  return parsed.data;
}

/**
 * The audience of a reason code under a configuration's list of police-only
 * codes (exact codes, or a prefix ending in `*`, such as `over18:*`).
 */
export function audienceOf(code: string, policeOnly: readonly string[]): ReasonAudience {
  return policeOnly.some((p) => (p.endsWith('*') ? code.startsWith(p.slice(0, -1)) : code === p)) ? 'police' : 'everyone';
}
