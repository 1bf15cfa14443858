/** How evaluation figures read everywhere they are shown (terminal, model card, bot): a missing or undefined figure is "n/a". */

const missing = (n: number | null | undefined): n is null | undefined => n === null || n === undefined || Number.isNaN(n);

/** A share as a percentage with one decimal: 0.123 → "12.3%". */
export const pct = (n: number | null | undefined): string => (missing(n) ? 'n/a' : `${(100 * n).toFixed(1)}%`);

/** A figure with a fixed number of decimals. */
export const num = (n: number | null | undefined, digits = 3): string => (missing(n) ? 'n/a' : n.toFixed(digits));
