import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a one-line module as though it lived at `path`, and returns the import-direction errors. */
async function directionErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import-direction lint rule', () => {
  it.each([
    ['db/export/x.ts', "import { a } from '../../worker/network/analyst-graph.js';"],
    ['db/repositories/x.ts', "import { a } from '../../worker/snapshot/days.js';"],
    ['synth/x.ts', "import { a } from '../worker/snapshot/days.js';"],
    ['synth/y.ts', "import { a } from '../db/import/parse-cell.js';"],
    ['config/x.ts', "import { a } from '../db/database.js';"],
    ['bot/lookups/x.ts', "import { a } from '../../worker/snapshot/ages.js';"],
    ['bot/lookups/y.ts', "import { TurnContext } from 'botbuilder';"],
    ['domain/x.ts', "import { a } from '../db/database.js';"],
    ['cards/x.ts', "import { a } from '../db/database.js';"],
    ['worker/scoring/x.ts', "import { a } from '../../db/database.js';"],
    ['worker/jobs/x.ts', "import { a } from 'botbuilder';"],
  ])('refuses %s importing upwards or sideways: %s', async (path, source) => {
    expect(await directionErrors(path, `${source}\nexport const b = a;\n`)).toHaveLength(1);
  });

  // db/repositories/ is the boundary: what shows or sends things never builds queries or reads rows itself.
  it.each([
    ['bot/lookups/x.ts', "import { a } from '../../db/queries/run-queries.js';"],
    ['bot/handlers/x.ts', "import type { a } from '../../db/schema/database-schema.js';"],
    ['bot/x.ts', "import { a } from '../db/queries/alert-queries.js';"],
    ['worker/jobs/x.ts', "import { a } from '../../db/queries/meeting-queries.js';"],
    ['worker/jobs/y.ts', "import type { a } from '../../db/schema/database-schema.js';"],
    ['reports/x.ts', "import { a } from '../db/queries/run-queries.js';"],
    ['reports/minutes/x.ts', "import type { a } from '../../db/schema/database-schema.js';"],
  ])('refuses %s reaching past db/repositories: %s', async (path, source) => {
    const errors = await directionErrors(path, `${source}\nexport const b = a;\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/through db\/repositories\//);
  });

  it.each([
    ['bot/lookups/x.ts', "import { a } from '../../db/repositories/run-scores.js';"],
    ['worker/jobs/x.ts', "import type { a } from '../../db/database.js';"],
    ['reports/x.ts', "import { a } from '../db/repositories/runs.js';"],
    ['worker/pipeline/x.ts', "import { a } from '../../db/queries/run-queries.js';"],
  ])('lets %s go through db/repositories (or, in the pipeline, below it): %s', async (path, source) => {
    expect(await directionErrors(path, `${source}\nexport const b = a;\n`)).toEqual([]);
  });

  it.each([
    ['db/x.ts', "import { a } from '../domain/days.js';"],
    ['worker/jobs/x.ts', "import { a } from '../../db/database.js';"],
    ['reports/x.ts', "import { a } from '../worker/evaluation/run-evaluation.js';"],
    ['bot/lookups/x.ts', "import { a } from '../../domain/access-policy.js';"],
    ['cli/x.ts', "import { a } from '../worker/main.js';"],
  ])('lets %s import downwards: %s', async (path, source) => {
    expect(await directionErrors(path, `${source}\nexport const b = a;\n`)).toEqual([]);
  });

  it('holds for the whole tree today', async () => {
    const results = await eslint.lintFiles(['domain', 'config', 'db', 'worker', 'reports', 'synth', 'cards', 'bot', 'manifest']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(errors).toEqual([]);
  });
});
