export type Cell = string | number | null | undefined;

/** RFC 4180: quote only where a field holds a comma, quote or line break; NULL is an empty cell. */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[]) => cells.map(csvField).join(',');
