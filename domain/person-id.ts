import { FORMULA_START } from './csv-field.js';
import { INVISIBLE_CHARACTERS } from './invisible-characters.js';

/**
 * The one identifier rule, for the bundle import and for every id the bot
 * reads. Identifiers are opaque strings of at most 64 characters (the
 * contract); real exports use letters, digits, spaces and a little
 * punctuation. What is refused, everywhere: control and bidirectional
 * characters, leading or trailing spaces, and a first character that a
 * spreadsheet would run as a formula (= + - @, tab, CR; OWASP's CSV rule), or
 * anything that is not a letter or digit, so an id never needs escaping in a
 * CSV file, a card or the audit.
 */
export const ID_MAX_LENGTH = 64;

const ID_RULE = /^[\p{L}\p{N}][\p{L}\p{N} ._:/#-]*$/u;
const HOSTILE = /['"`;<>{}\\$|=()[\]*%]/;

/** Why a value is not an identifier, or null when it is one. */
export function identifierProblem(value: string): string | null {
  if (value.length === 0) return 'an identifier cannot be blank';
  if (value.length > ID_MAX_LENGTH) return `identifier is ${value.length} characters; the contract allows ${ID_MAX_LENGTH}`;
  if (FORMULA_START.test(value)) return `identifier "${printable(value)}" starts with "${printable(value[0])}", which a spreadsheet runs as a formula`;
  if (value !== value.trim()) return 'an identifier cannot start or end with a space';
  if (!ID_RULE.test(value)) return `identifier "${printable(value)}" may hold only letters, digits, spaces and . _ : / # - (starting with a letter or digit)`;
  return null;
}

/** Control and invisible characters shown as code points, so an error message is itself safe to print. */
const printable = (s: string) => s.slice(0, 80).replace(INVISIBLE_CHARACTERS, (c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

export type ParsedPersonId =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly why: string }
  | { readonly kind: 'suspicious' };

/**
 * Reading the id in `profile <id>` (or a card's submitted id): whatever the
 * import accepts is accepted here. Text carrying quotes, brackets, operators
 * or markup is not an id and is refused before any lookup (queries are
 * parameterised anyway: this keeps hostile text out of cards and the audit).
 */
export function parsePersonId(argument: string): ParsedPersonId {
  const text = argument.trim();
  if (text === '') return { kind: 'missing' };
  if (identifierProblem(text) === null) return { kind: 'id', id: text };
  if (HOSTILE.test(text)) return { kind: 'suspicious' };
  if (text.length > ID_MAX_LENGTH) return { kind: 'malformed', why: `a person id is at most ${ID_MAX_LENGTH} characters` };
  return { kind: 'malformed', why: 'a person id uses letters, digits, spaces and . _ : / # - only, starting with a letter or digit' };
}

/** Spellings under which an Entra object id may be stored (GUID case varies between exports). */
export const aadSpellings = (aadObjectId: string): string[] => [...new Set([aadObjectId, aadObjectId.toLowerCase(), aadObjectId.toUpperCase()])];
