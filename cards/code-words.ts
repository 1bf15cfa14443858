/** A code from the TFD as people read it on a card: `social_care` → "social care", `early_help` → "early help". */
export const codeWords = (code: string): string => code.replace(/_+/g, ' ').trim();
