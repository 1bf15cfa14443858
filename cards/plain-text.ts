/**
 * Text that comes from the TFD (names of schools, areas and staff, roles,
 * notes) shown on a card as exactly what it is. Card TextBlocks render a
 * Markdown subset, so a school named `[Reset your password](https://…)`
 * would become a link; bidirectional controls (U+202E …) would reverse what
 * follows. Controls are removed, line breaks folded, and the characters that
 * make Markdown (emphasis, links, code, block markers) escaped with a backslash.
 */
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const LINE_BREAKS = /[\r\n\u2028\u2029\t]+/g;
const MARKDOWN = /[\\`*_[\]<>~|]/g;
const BLOCK_START = /^(\s*)(?:([-+#>])|(\d+)([.)]))/;

export function plainText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .replace(INVISIBLE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(MARKDOWN, (c) => `\\${c}`)
    .replace(BLOCK_START, (_m, space: string, marker?: string, digits?: string, stop?: string) => (marker ? `${space}\\${marker}` : `${space}${digits}\\${stop}`))
    .replace(/:\/\//g, ':\\/\\/');
}
