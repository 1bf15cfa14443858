import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Imports run one way (docs/architecture.md): domain/ (shared vocabulary) and
 * config/ at the bottom; db/ above them; worker/ above db/; reports/ above
 * worker/; cards/ and bot/ on top, with cli/ and scripts/ free to wire
 * everything. Each entry: the folders a layer may not import.
 */
const layer = (name) => [`**/${name}/**`, `**/${name}/*`];
const TEAMS = ['botbuilder', 'botbuilder-*', '@microsoft/teams-ai', '@microsoft/teams.*'];
const DRIVERS = ['kysely', 'bullmq', 'ioredis', 'better-sqlite3', 'mssql', 'tedious'];
/**
 * db/repositories/ is the boundary: code that shows or sends things reads
 * and writes aggregates there, as domain types, and holds the database only
 * as `TfdDb` (db/database.ts).
 */
const BEHIND_REPOSITORIES = {
  group: [...layer('db/queries'), ...layer('db/schema')],
  message: 'read and write through db/repositories/ (domain types; the handle is TfdDb from db/database.ts), never db/queries or db/schema (docs/architecture.md)',
};
const forbid = (files, folders, packages = [], extra = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...folders.map((f) => ({ group: layer(f), message: `${files[0].split('/')[0]}/ may not import ${f}/ (docs/architecture.md: imports run one way)` })),
          ...(packages.length ? [{ group: packages, message: `${files[0].split('/')[0]}/ stays free of this package (docs/architecture.md)` }] : []),
          ...extra,
        ],
      },
    ],
  },
});
const ABOVE_DOMAIN = ['config', 'db', 'worker', 'reports', 'synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'];

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'out/', 'test-artifacts/', '.tmp/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Empty catch blocks hide failures: every catch must handle or rethrow.
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Migrations are typed Kysely<any> on purpose (frozen in time).
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      // process.env is read in one place: config/env.ts.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read configuration through config/env.ts' }],
    },
  },
  forbid(['domain/**'], ABOVE_DOMAIN, [...TEAMS, ...DRIVERS]),
  forbid(['config/**'], ABOVE_DOMAIN.filter((f) => f !== 'config'), TEAMS),
  forbid(['db/**'], ['worker', 'reports', 'synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'], TEAMS),
  forbid(['worker/**'], ['reports', 'synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'], TEAMS),
  forbid(['worker/jobs/**'], ['reports', 'synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'], TEAMS, [BEHIND_REPOSITORIES]),
  // The pure stages: plain data in, plain data out, no database or queue.
  forbid(['worker/{features,model,network,scoring,reasons,snapshot,evaluation}/**'], ['db', 'reports', 'synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'], [...TEAMS, ...DRIVERS]),
  forbid(['reports/**'], ['synth', 'bot', 'cards', 'manifest', 'cli', 'scripts'], TEAMS, [BEHIND_REPOSITORIES]),
  forbid(['synth/**'], ['db', 'worker', 'reports', 'bot', 'cards', 'manifest', 'cli', 'scripts'], [...TEAMS, ...DRIVERS]),
  forbid(['cards/**'], ['db', 'worker', 'reports', 'synth', 'bot', 'manifest', 'cli', 'scripts'], [...TEAMS, ...DRIVERS]),
  forbid(['bot/**'], ['worker', 'synth', 'cli', 'scripts'], [], [BEHIND_REPOSITORIES]),
  // Everything that decides what a person sees stays free of the Teams framework, so a move to the Teams SDK is local.
  forbid(['bot/lookups/**'], ['worker', 'synth', 'cli', 'scripts'], TEAMS, [BEHIND_REPOSITORIES]),
  forbid(['manifest/**'], ['db', 'worker', 'reports', 'synth', 'bot', 'cards', 'cli', 'scripts']),
  {
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['config/env.ts', 'test/**', 'scripts/**', 'worker/redis/ensure-redis.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
