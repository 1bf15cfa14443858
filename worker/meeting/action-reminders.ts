import type { ActionReminder, DueAction } from '../../domain/alert-delivery.js';

/** Actions that fell due, one reminder per owner (pure: the job reads and sends). */
export function remindersByOwner(actions: readonly (DueAction & { readonly owner: string })[]): ActionReminder[] {
  const byOwner = new Map<string, DueAction[]>();
  for (const { owner, ...action } of actions) byOwner.set(owner, [...(byOwner.get(owner) ?? []), action]);
  return [...byOwner.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([workerId, due]) => ({ workerId, actions: due }));
}
