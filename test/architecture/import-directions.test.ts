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
