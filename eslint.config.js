import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'out/', 'test-artifacts/', '.tmp/'] },
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
  {
    files: ['db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['config/env.ts', 'test/**', 'scripts/**', 'worker/redis/ensure-redis.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
