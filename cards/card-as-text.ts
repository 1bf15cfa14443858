/**
 * A card as plain lines, for terminals and logs: headings, facts, table rows
 * (cells joined by " | ") and text, in reading order.
 */
export function cardAsText(card: unknown): string {
  const lines: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    switch (o.type) {
      case 'TextBlock':
        lines.push(String(o.text ?? ''));
        return;
      case 'FactSet':
        for (const f of (o.facts as { title: string; value: string }[]) ?? []) lines.push(`${f.title}: ${f.value}`);
        return;
      case 'TableRow':
        lines.push(((o.cells as { items: unknown[] }[]) ?? []).map((c) => cellText(c.items)).join(' | '));
        return;
      default:
        for (const key of ['body', 'items', 'rows', 'columns']) if (key in o) walk(o[key]);
    }
  };
  walk(card);
  return lines.join('\n');
}

const cellText = (items: unknown[]): string =>
  items
    .map((i) => (i && typeof i === 'object' && 'text' in i ? String((i as { text: unknown }).text) : ''))
    .join(' ')
    .trim();
