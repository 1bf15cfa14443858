import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const FOREIGN_BUNDLE = new URL('../fixtures/foreign-bundle', import.meta.url).pathname;

/** Copies a bundle and applies an edit to one file's text. */
export function editedCopy(from: string, to: string, file: string, edit: (text: string) => string): string {
  cpSync(from, to, { recursive: true });
  const path = join(to, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return to;
}
