import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variableListMarkdown } from '../../worker/features/variable-list.js';

describe('docs/variables.md', () => {
  it('matches the feature catalogue (regenerate with npm run docs:variables)', () => {
    expect(readFileSync(new URL('../../docs/variables.md', import.meta.url), 'utf8')).toBe(variableListMarkdown());
  });
});
