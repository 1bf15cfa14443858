/**
 * Reading the id in `profile <id>`. Ids are opaque strings of at most 64
 * characters; real exports use letters, digits and a little punctuation.
 * Text carrying quotes, brackets, semicolons or SQL/markup keywords is not
 * an id and is refused before any lookup (queries are parameterised anyway:
 * this keeps hostile text out of the cards and the audit's "shown").
 */
export type ParsedPersonId =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly why: string }
  | { readonly kind: 'suspicious' };

const ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;
const HOSTILE = /['"`;<>{}\\$|=]|--|\/\*|\b(select|union|drop|insert|delete|update|exec|script|javascript)\b/i;

export function parsePersonId(argument: string): ParsedPersonId {
  const text = argument.trim();
  if (text === '') return { kind: 'missing' };
  if (HOSTILE.test(text)) return { kind: 'suspicious' };
  if (/\s/.test(text)) return { kind: 'malformed', why: 'a person id is one word, with no spaces' };
  if (text.length > 64) return { kind: 'malformed', why: 'a person id is at most 64 characters' };
  if (!ID.test(text)) return { kind: 'malformed', why: 'a person id uses letters, digits and . _ : / - only' };
  return { kind: 'id', id: text };
}

/** Spellings under which an Entra object id may be stored (GUID case varies between exports). */
export const aadSpellings = (aadObjectId: string): string[] => [...new Set([aadObjectId, aadObjectId.toLowerCase(), aadObjectId.toUpperCase()])];
