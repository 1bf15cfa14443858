/**
 * Characters that print as nothing or change how what follows prints: C0 (tab and
 * line breaks included) and C1 controls, zero-width characters, bidirectional marks, embeddings,
 * overrides and isolates, the byte-order mark. Cards remove them; error
 * messages show them as code points.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const INVISIBLE_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

/**
 * The same, less tab and line breaks, which a file's text may keep (a CSV quotes
 * them): what a file written for people to open must not carry, so a right-to-left
 * override in a note cannot turn what follows around.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const INVISIBLE_IN_FILES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
