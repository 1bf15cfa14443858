import { INVISIBLE_CHARACTERS } from '../domain/invisible-characters.js';

/**
 * Text that comes from the TFD (names of schools, areas and staff, roles,
 * notes) shown on a card as exactly what it is. Card TextBlocks render a
 * Markdown subset, so a school named `[Reset your password](https://…)`
 * would become a link; bidirectional controls (U+202E …) would reverse what
 * follows. Line breaks are folded, other controls removed, and the characters that
 * make Markdown (emphasis, links, code, block markers) escaped with a backslash.
 */
const LINE_BREAKS = /[\r\n\u2028\u2029\t]+/g;
const MARKDOWN = /[\\`*_[\]<>~|]/g;
const BLOCK_START = /^(\s*)(?:([-+#>])|(\d+)([.)]))/;

export function plainText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE_CHARACTERS, '')
    .replace(MARKDOWN, (c) => `\\${c}`)
    .replace(BLOCK_START, (_m, space: string, marker?: string, digits?: string, stop?: string) => (marker ? `${space}\\${marker}` : `${space}${digits}\\${stop}`))
    .replace(/:\/\//g, ':\\/\\/');
}
