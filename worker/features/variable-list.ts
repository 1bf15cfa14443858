import { FEATURES } from './feature-catalogue.js';

/** The public variable list (docs/variables.md), generated from the feature catalogue. */
export function variableListMarkdown(): string {
  const rows = FEATURES.map((f, i) => `| ${i + 1} | \`${f.name}\` | ${f.code ? `\`${f.code}\`` : '—'} | ${f.description} |`);
  return [
    '# Model variables',
    '',
    'Generated from `worker/features/feature-catalogue.ts` by `npm run docs:variables`; a test fails if this file and the code disagree.',
    '',
    'Every feature is computed **as of a date**: only records that started on or before it count, and a spell counts as open unless it had ended by then.',
    'A source the person’s area does not supply is *missing*, not zero: its features are 0 and the matching `no_<source>_source` flag is 1.',
    'Sex, ethnicity and deprivation (IMD) are not model inputs; they are kept only to audit the model. Nor is involvement with the exploitation service (BASE) or a Topaz marker: those are what the model learns from, or what the index score reads.',
    '',
    `${FEATURES.length} variables, and two for every indicator beyond the ones named below that the scoring configuration chooses (\`additionalIndicators\`; none by default): \`<code>_ever\` and \`family_ever_<code>\`, all-time counts of its records, the person's own and their family's, in every feature set but \`recent\`. A run's model card lists every variable it computed.`,
    '',
    '| # | variable | indicator | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
