import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';

// The layer rule of architecture.md as a check: src ← sync/protocol ← sync/client, sync/hq ← renderer;
// electron depends only on the bridge's type.
export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'dist-electron/', 'release/', 'data/', 'test-results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { boundaries, 'react-hooks': reactHooks },
    settings: {
      'boundaries/include': ['src/**/*', 'sync/**/*', 'renderer/**/*', 'electron/**/*', 'resources/**/*', 'tests/**/*'],
      'boundaries/elements': [
        { type: 'core', pattern: 'src' },
        { type: 'protocol', pattern: 'sync/protocol' },
        { type: 'client', pattern: 'sync/client' },
        { type: 'hq', pattern: 'sync/hq' },
        { type: 'bridge', pattern: 'renderer/bridge' },
        { type: 'renderer', pattern: 'renderer' },
        { type: 'electron', pattern: 'electron' },
        { type: 'resources', pattern: 'resources' },
        { type: 'tests', pattern: 'tests' },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          policies: [
            { from: { element: { type: 'core' } }, allow: { to: { element: { types: { anyOf: ['core'] } } } } },
            { from: { element: { type: 'protocol' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol'] } } } } },
            { from: { element: { type: 'client' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'client', 'bridge'] } } } } },
            { from: { element: { type: 'hq' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'hq', 'resources'] } } } } },
            { from: { element: { type: 'bridge' } }, allow: { to: { element: { types: { anyOf: ['bridge'] } } } } },
            { from: { element: { type: 'renderer' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'client', 'renderer', 'bridge'] } } } } },
            { from: { element: { type: 'electron' } }, allow: { to: { element: { types: { anyOf: ['electron', 'bridge'] } } } } },
            { from: { element: { type: 'resources' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'resources'] } } } } },
            { from: { element: { type: 'tests' } }, allow: { to: { element: { types: { anyOf: ['core', 'protocol', 'client', 'hq', 'resources', 'tests', 'bridge'] } } } } },
          ],
        },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      // The domain core has no I/O.
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'http', 'react', 'rxdb', 'rxdb/*', 'electron', 'pg', '@electric-sql/*', 'fastify'] },
      ],
      'no-restricted-globals': ['error', 'fetch', 'localStorage', 'indexedDB', 'window', 'document'],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['node:*', 'fs', 'path', 'electron', 'pg', 'fastify', '@electric-sql/*'] }],
      // The UI never talks to HQ itself: data comes through sync/client.
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The renderer talks to HQ only through sync/client.' }, 'EventSource'],
    },
  },
);
