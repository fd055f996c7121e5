// ESLint: typescript-eslint's recommended rules and the two classic React hooks rules. Formatting is
// Prettier's job (npm run format), so no stylistic rules here.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.tmp/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Migrations see the database as it was at their date, never the app's current types (Kysely's advice).
    files: ['server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The fake providers read whatever JSON a client put on the wire, as a real provider does.
    files: ['tests/fakes/**', 'tests/dryrun/dryrun-fixtures.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='queryKey'] > ArrayExpression",
          message:
            'Name the key in client/src/api/queryKeys.ts: one module, so an invalidation matches what was cached.',
        },
        {
          selector: "Property[key.name='queryKey'] > Identifier.value",
          message:
            'Read the key from client/src/api/queryKeys.ts where it is used, not from a variable made elsewhere.',
        },
        {
          selector: 'ExportSpecifier[local.name=/Keys$/]',
          message: 'Import query keys from client/src/api/queryKeys.ts itself: a feature module does not pass them on.',
        },
        {
          selector: "ImportDeclaration[source.value=/\\/server\\//][importKind!='type']",
          message: "The client imports only the server's route types (`import type`), never server code (DESIGN.md).",
        },
      ],
    },
  },
);
