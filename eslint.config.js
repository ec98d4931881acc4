// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'packages/*/dist/**', 'node_modules/**', 'web/dist/**', 'coverage/**', 'test-output/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // the interview domain depends on interfaces only: never on the edge, storage, cluster or a vendor
    files: ['src/interview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/gateway/**', '**/storage/**', '**/cluster/**', '**/providers/**'], message: 'interview/ imports interfaces only.' },
            { group: ['fastify', 'ws', 'pg', 'ioredis', 'better-sqlite3', 'openai'], message: 'interview/ imports no vendor.' },
          ],
        },
      ],
    },
  },
  {
    // engines are peers: each reaches the domain's rules through src/interview, never another engine, so a
    // third engine needs no import from either (the fallback meets the built-in engine through the port)
    files: ['src/providers/llm/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/builtin/**', '**/builtin'], message: 'The model engine imports no built-in engine internals; use src/interview (rules) or a port.' }] },
      ],
    },
  },
  {
    files: ['src/providers/builtin/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/llm/**', '**/llm'], message: 'The built-in engine imports nothing of the model engine; use src/interview (rules) or a port.' }] },
      ],
    },
  },
  {
    // the wire contract is bundled into the browser app: nothing Node-only, no I/O
    files: ['packages/protocol/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: '@viva/protocol runs in browsers too: no Node built-ins.' },
            { group: ['fs', 'path', 'os', 'crypto', 'buffer', 'stream', 'events', 'child_process', 'worker_threads', 'net', 'http', 'https', 'url', 'util'], message: '@viva/protocol runs in browsers too: no Node built-ins.' },
            { group: ['../**', '@viva/client', '@viva/client/*'], message: '@viva/protocol depends on nothing of the project.' },
          ],
        },
      ],
    },
  },
  {
    // the SDK is a package of its own: it may use the contract, never the server's internals
    files: ['packages/client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../../**/src/**', '../../../**'], message: '@viva/client imports @viva/protocol, not the server.' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
