// Lint for the web UI: ESLint's recommended rules plus typescript-eslint's type-aware strict set.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'public/seed-client.js'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Guard clauses on one line read better here than braces for a single statement.
      curly: ['error', 'multi-line'],
      eqeqeq: 'error',
      // Arrow shorthands such as () => void load() are the house idiom for fire-and-forget handlers.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', location: 'readonly', AudioContext: 'readonly', VoxCPMTTSClient: 'readonly' } },
  },
  {
    // e2e code runs in Node, and inside page.evaluate callbacks in the browser.
    files: ['e2e/**/*.mjs', '*.js'],
    languageOptions: { globals: { document: 'readonly', window: 'readonly', process: 'readonly', console: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', VoxCPMTTSClient: 'readonly' } },
  },
);
